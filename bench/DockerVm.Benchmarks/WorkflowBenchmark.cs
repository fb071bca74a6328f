using System.Diagnostics;
using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Configuration;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Benchmarks;

/// <summary>
/// The real <see cref="ProvisionDockerVm"/> orchestrator on the in-memory Durable Task backend behind the gRPC sidecar
/// (worker, client and sidecar in-process, as in the local host), with every Azure-facing activity replaced by an instant fake.
/// Measures what the orchestration engine and the orchestrator's own code cost per Docker host.
/// </summary>
internal static class WorkflowBenchmark
{
    private const string SubscriptionId = "00000000-0000-0000-0000-0000000b0001";
    private const string VaultUri = "https://bench-vault.vault.azure.net";

    public static async Task<ResultTable> RunAsync(WorkflowBenchmarkOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var activityCalls = 0L;
        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.None));
        await using var sidecar = await InMemorySidecar.StartAsync(options.Concurrency, loggerFactory, cancellationToken);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Options.Create(new ProvisioningOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            TimerResolution = TimeSpan.Zero,
            ExpectedNetworkDuration = TimeSpan.Zero,
            ExpectedVmDuration = TimeSpan.Zero,
            ExpectedExtensionDuration = TimeSpan.Zero,
        }));
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry =>
            {
                registry.AddOrchestrator<ProvisionDockerVm>().AddActivity<GetWorkflowSettings>();
                RegisterFakeActivities(registry, () => Interlocked.Increment(ref activityCalls));
            });
            worker.UseGrpc();
            worker.Services.AddOptions<GrpcDurableTaskWorkerOptions>(worker.Name).Configure(grpc => grpc.Address = sidecar.Address.ToString());
            worker.Services.AddOptions<DurableTaskWorkerOptions>(worker.Name).Configure(settings =>
            {
                settings.Concurrency.MaximumConcurrentOrchestrationWorkItems = options.Concurrency;
                settings.Concurrency.MaximumConcurrentActivityWorkItems = options.Concurrency;
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Services.AddOptions<GrpcDurableTaskClientOptions>(client.Name).Configure(grpc => grpc.Address = sidecar.Address.ToString());
        });
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        // Warm-up: JIT, gRPC channel and streams.
        _ = await RunBatchAsync(client, "warmup", 20, cancellationToken);
        var callsBefore = Interlocked.Read(ref activityCalls);

        progress($"Running {options.Orchestrations} orchestrations...");
        var cpuBefore = Measure.ProcessCpu();
        var start = Stopwatch.GetTimestamp();
        var (latency, failed) = await RunBatchAsync(client, "bench", options.Orchestrations, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpu = Measure.ProcessCpu() - cpuBefore;
        var calls = Interlocked.Read(ref activityCalls) - callsBefore;
        await host.StopAsync(cancellationToken);

        return new ResultTable(
            "Durable Task: ProvisionDockerVm orchestrations, in-memory backend behind the gRPC sidecar (fake activities)",
            ["measure", "value"],
            [
                ["orchestrations (all scheduled at once)", Format.Integer(options.Orchestrations)],
                ["completed successfully", Format.Integer(options.Orchestrations - failed)],
                ["wall time s", Format.Seconds(elapsed)],
                ["orchestrations/s", Format.Rate(options.Orchestrations / elapsed.TotalSeconds)],
                ["process CPU ms per orchestration (sidecar + worker + client)", Format.Milliseconds(cpu.TotalMilliseconds / options.Orchestrations)],
                ["activities per orchestration (+1 settings read)", Format.Rate((double)calls / options.Orchestrations)],
                ["activities/s (faked ones)", Format.Rate(calls / elapsed.TotalSeconds)],
                ["ms scheduled → completed p50 / p95 (one batch)", $"{Format.Milliseconds(latency.Percentile(50))} / {Format.Milliseconds(latency.Percentile(95))}"],
            ],
            [$"Concurrency limit {options.Concurrency} (worker and in-memory service). Every poll answers Succeeded at once, so no durable timer fires.",
             "Each orchestration replays its history after every activity: this is the engine's and the orchestrator's cost of one Docker host.",
             "The stock DurableTaskTestHost reports one work item per core and backs off 500 ms at that limit: about 0.3 orchestrations/s here."]);
    }

    private static async Task<(Samples Latency, int Failed)> RunBatchAsync(DurableTaskClient client, string prefix, int count, CancellationToken cancellationToken)
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            var spec = Spec($"{prefix}{i:D5}");
            ids[i] = await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ProvisionDockerVm), spec, new StartOrchestrationOptions(InstanceIds.ForProvisioning(spec)), cancellationToken);
        }

        var results = await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellationToken)));
        var latency = new Samples();
        var failed = 0;
        foreach (var metadata in results)
        {
            latency.Add(metadata.LastUpdatedAt - metadata.CreatedAt);
            if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed || metadata.ReadOutputAs<ProvisionDockerVmResult>() is not { Succeeded: true })
            {
                failed++;
            }
        }

        return (latency, failed);
    }

    private static DockerVmSpec Spec(string name) => new()
    {
        Name = name,
        ResourceGroup = "rg-bench",
        Location = "westeurope",
        VmSize = "Standard_D2s_v5",
        Image = ProvisionRequestValidator.DefaultImage,
        AdminUsername = "azureuser",
        SshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/NMyFOZ9DB+Rzop3WVJF2gdsaqXUCAJy1zi+nh2YGT bench@dockervm",
        AllowedSourceCidrs = ["203.0.113.0/24"],
        DockerPort = ProvisionRequestValidator.DefaultDockerPort,
        Installer = ProvisionRequestValidator.DefaultInstaller,
        DaemonOptions = ProvisionRequestValidator.DefaultDaemonOptions,
        Tags = new Dictionary<string, string> { ["env"] = "bench" },
        Callback = new CallbackTarget(new Uri("https://hooks.example.com/docker"), null),
        KeyAlgorithm = ProvisionRequestValidator.DefaultKeyAlgorithm,
        IncludeLoopbackInServerCertificate = false,
        CertificateValidityDays = ProvisionRequestValidator.DefaultCertificateValidityDays,
    };

    /// <summary>Instant stand-ins under the real activity names, returning what the real ones would.</summary>
    private static void RegisterFakeActivities(DurableTaskRegistry registry, Action counted)
    {
        void Add<TIn, TOut>(string name, Func<TIn, TOut> behaviour) =>
            registry.AddActivityFunc<TIn, TOut>(name, (TaskActivityContext _, TIn input) =>
            {
                counted();
                return behaviour(input);
            });

        static string Rg(string resourceGroup) => $"/subscriptions/{SubscriptionId}/resourceGroups/{resourceGroup}";
        static Uri Secret(string name) => new($"{VaultUri}/secrets/{name}/0123456789abcdef0123456789abcdef");

        static ArmOperationHandle Done(string id) => new(id, null, null, null, Done: true);
        Add<CreateNetworkSecurityGroupInput, CreateNetworkSecurityGroupOutput>(nameof(CreateNetworkSecurityGroup), input =>
        {
            var id = $"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/networkSecurityGroups/{input.Name}";
            return new(id, Done(id));
        });
        Add<CreatePublicIpAddressInput, CreatePublicIpAddressOutput>(nameof(CreatePublicIpAddress), input =>
        {
            var id = $"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/publicIPAddresses/{input.Name}";
            return new(id, Done(id));
        });
        Add<GetPublicIpAddressInput, GetPublicIpAddressOutput>(nameof(GetPublicIpAddress), input =>
            new(new ArmOperationState("Succeeded", null, null), "127.0.1.10", $"{input.ResourceId.Split('/')[^1]}.westeurope.cloudapp.azure.com"));
        Add<CreateVirtualNetworkInput, CreateVirtualNetworkOutput>(nameof(CreateVirtualNetwork), input =>
        {
            var id = $"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/virtualNetworks/{input.Name}";
            return new(id, $"{id}/subnets/{DockerVmResourceNames.Subnet}", Done(id));
        });
        Add<CreateNetworkInterfaceInput, CreateNetworkInterfaceOutput>(nameof(CreateNetworkInterface), input =>
        {
            var id = $"{Rg(input.ResourceGroup)}/providers/Microsoft.Network/networkInterfaces/{input.Name}";
            return new(id, Done(id));
        });
        Add<IssueDockerCertificatesInput, DockerSecretIdentifiers>(nameof(IssueDockerCertificates), input => new(
            Secret(input.Names.CaCertificateSecret),
            Secret(input.Names.ServerCertificateSecret),
            Secret(input.Names.ServerKeySecret),
            Secret(input.Names.ClientCertificateSecret),
            Secret(input.Names.ClientKeySecret)));

        // Started, not done: every wait costs one check, as against ARM when the expected duration was right.
        static ArmOperationHandle Started(string id) => new(id, "https://management.azure.com/operations/bench", null, null, Done: false);
        Add<StartVirtualMachineCreationInput, StartVirtualMachineCreationOutput>(nameof(StartVirtualMachineCreation), input =>
        {
            var id = $"{Rg(input.ResourceGroup)}/providers/Microsoft.Compute/virtualMachines/{input.Name}";
            return new(id, Started(id));
        });
        Add<ArmOperationHandle, ArmOperationState>(nameof(GetArmOperationStatus), _ => new("Succeeded", null, null));
        Add<StartDockerInstallationInput, StartDockerInstallationOutput>(nameof(StartDockerInstallation), input =>
        {
            var id = $"{input.VmResourceId}/extensions/{DockerVmResourceNames.DockerExtension}";
            return new(id, Started(id));
        });
        Add<VerifyDockerEndpointInput, VerifyDockerEndpointOutput>(nameof(VerifyDockerEndpoint), _ => new("27.5.1", "1.47"));
        Add<SendCallbackInput, CallbackDeliveryResult>(nameof(SendCallback), _ => new(Delivered: true, Attempts: 1, LastStatusCode: 200, Error: null));
    }
}
