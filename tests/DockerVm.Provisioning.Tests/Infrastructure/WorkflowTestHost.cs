using DockerVm.Provisioning.Activities.Configuration;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Storage;
using DockerVm.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Infrastructure;

/// <summary>The real orchestrators over <see cref="FakeAzure"/> activities on the in-memory Durable Task host,
/// with short polls and retries, and every log line captured.</summary>
internal sealed class WorkflowTestHost : IAsyncDisposable
{
    private readonly DurableTaskTestHost host;
    private readonly ILoggerFactory loggerFactory;

    private WorkflowTestHost(DurableTaskTestHost host, ILoggerFactory loggerFactory, FakeLogCollector logs)
    {
        this.host = host;
        this.loggerFactory = loggerFactory;
        Logs = logs;
    }

    public DurableTaskClient Client => host.Client;

    public IServiceProvider Services => host.Services;

    public FakeLogCollector Logs { get; }

    public DockerVmService Service => host.Services.GetRequiredService<DockerVmService>();

    public static ProvisioningOptions FastOptions() => new()
    {
        PollInterval = TimeSpan.FromMilliseconds(50),

        // The in-memory backend's timers are exact, and the fakes finish at the first check.
        TimerResolution = TimeSpan.Zero,
        ExpectedNetworkDuration = TimeSpan.Zero,
        ExpectedVmDuration = TimeSpan.Zero,
        ExpectedExtensionDuration = TimeSpan.Zero,
        ExpectedDeletionDuration = TimeSpan.Zero,
        NetworkReadyTimeout = TimeSpan.FromSeconds(30),
        VmReadyTimeout = TimeSpan.FromSeconds(30),
        ExtensionReadyTimeout = TimeSpan.FromSeconds(30),
        ResourceDeletionTimeout = TimeSpan.FromSeconds(30),
        TransientRetryFirstInterval = TimeSpan.FromMilliseconds(50),
        TransientRetryMaxInterval = TimeSpan.FromMilliseconds(200),
        TransientRetryAttempts = 4,
        VerifyAttempts = 3,
    };

    public static async Task<WorkflowTestHost> StartAsync(FakeAzure fake, ProvisioningOptions? options = null, CallbackOptions? callbacks = null)
    {
        var collector = new FakeLogCollector();
        var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(collector)));
        var host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                registry.AddOrchestrator<ProvisionDockerVm>().AddOrchestrator<DeprovisionDockerVm>().AddActivity<GetWorkflowSettings>();
                fake.Register(registry);
            },
            new DurableTaskTestHostOptions
            {
                Port = FreePort.Next(),
                LoggerFactory = loggerFactory,
                ConfigureServices = services =>
                {
                    services.AddSingleton(Options.Create(options ?? FastOptions()));
                    services.AddSingleton(Options.Create(new AzureOptions { SubscriptionId = FakeAzure.SubscriptionId, KeyVaultUri = new Uri(FakeAzure.VaultUri) }));
                    services.AddSingleton(Options.Create(callbacks ?? new CallbackOptions()));
                    services.AddSingleton<ProvisionRequestValidator>();
                    services.AddSingleton(TimeProvider.System);
                    services.AddSingleton<IRecordStore, InMemoryRecordStore>();
                    services.AddSingleton<DockerVmService>();
                    services.AddSingleton<QueueRequestHandler>();
                },
            });
        return new WorkflowTestHost(host, loggerFactory, collector);
    }

    public async Task<OrchestrationMetadata> RunAsync(DockerVmSpec spec, string? instanceId = null)
    {
        instanceId ??= InstanceIds.ForProvisioning(spec);
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionDockerVm), spec, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId));
        return await WaitAsync(instanceId);
    }

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"Instance {instanceId} ended {metadata.RuntimeStatus}: {metadata.FailureDetails}");
        }

        return metadata;
    }

    public async ValueTask DisposeAsync()
    {
        await host.DisposeAsync();
        loggerFactory.Dispose();
    }
}
