using DurableTask.AzureStorage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Options;

namespace DockerVm.LocalHost.DurableTask;

public static class DurableTaskServiceCollectionExtensions
{
    /// <summary>
    /// Runs orchestrations durably on this machine: a Durable Task worker and client over gRPC to an in-process sidecar
    /// that stores the task hub in Azure Storage (<c>AzureWebJobsStorage</c>, hub <c>TaskHubName</c>).
    /// </summary>
    public static IServiceCollection AddLocalDurableTask(this IServiceCollection services, Action<DurableTaskRegistry> registerTasks)
    {
        ArgumentNullException.ThrowIfNull(registerTasks);

        services.AddOptions<TaskHubStorageOptions>().BindConfiguration(string.Empty).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LocalDurableTaskOptions>().BindConfiguration(LocalDurableTaskOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(sp => new AzureStorageOrchestrationService(CreateSettings(
            sp.GetRequiredService<IOptions<TaskHubStorageOptions>>().Value,
            sp.GetRequiredService<IOptions<LocalDurableTaskOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>())));
        services.AddSingleton(sp => new SidecarCompatibleOrchestrationService(
            sp.GetRequiredService<AzureStorageOrchestrationService>(),
            sp.GetRequiredService<IOptions<LocalDurableTaskOptions>>().Value.EffectiveLockRenewalInterval,
            sp.GetRequiredService<IOptions<LocalDurableTaskOptions>>().Value.EffectiveOrchestrationLockRenewalInterval,
            sp.GetRequiredService<ILogger<SidecarCompatibleOrchestrationService>>()));
        services.AddSingleton<DurableTaskSidecar>();
        services.AddHostedService(sp => sp.GetRequiredService<DurableTaskSidecar>());

        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registerTasks);
            worker.UseGrpc();
            worker.Services.AddOptions<GrpcDurableTaskWorkerOptions>(worker.Name)
                .Configure<DurableTaskSidecar>((grpc, sidecar) => grpc.Address = sidecar.Address.ToString());
            worker.Services.AddOptions<DurableTaskWorkerOptions>(worker.Name)
                .Configure<IOptions<LocalDurableTaskOptions>>((options, local) =>
                {
                    options.Concurrency.MaximumConcurrentActivityWorkItems = local.Value.MaxConcurrentActivities;
                    options.Concurrency.MaximumConcurrentOrchestrationWorkItems = local.Value.MaxConcurrentOrchestrations;
                });
        });
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Services.AddOptions<GrpcDurableTaskClientOptions>(client.Name)
                .Configure<DurableTaskSidecar>((grpc, sidecar) => grpc.Address = sidecar.Address.ToString());
        });

        return services;
    }

    internal static AzureStorageOrchestrationServiceSettings CreateSettings(
        TaskHubStorageOptions storage, LocalDurableTaskOptions local, ILoggerFactory loggerFactory) => new()
        {
            TaskHubName = storage.TaskHubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(storage.AzureWebJobsStorage),
            MaxQueuePollingInterval = local.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = local.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = local.ControlQueueVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = local.MaxConcurrentActivities,
            MaxConcurrentTaskOrchestrationWorkItems = local.MaxConcurrentOrchestrations,
            PartitionCount = local.PartitionCount,

            // One app per hub here; the app lease of a killed host would otherwise hold a restarted one back for minutes.
            UseAppLease = false,

            // Partition leases (table partition manager, the provider's default) are owned by WorkerId, the machine name
            // by default: a host restarted on the same machine takes its partitions back at once instead of waiting for
            // the dead one's lease to expire (LeaseInterval, 30 s).
            LoggerFactory = loggerFactory,
        };
}
