using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Benchmarks;

/// <summary>
/// The real workflow, orchestrators and activities, against the in-process emulator: Durable Task worker and client
/// over gRPC to the in-memory backend behind the sidecar, the production Azure clients (pinned transport,
/// managed-identity credential). Per host, for provisioning and deprovisioning: ARM writes and reads and Key Vault
/// operations (the emulator's request journal), activities and their summed execution time (what a consumption plan
/// bills), durable timers and episodes (each replays the history), and the end-to-end time beside the ARM time the
/// emulator was told to take. Counts are exact; times depend on the machine's load.
/// </summary>
internal static class ArmWorkflowBenchmark
{
    private const string ResourceGroupName = "rg-bench";
    private const string Location = "westeurope";
    private const string PublicIpRangeStart = "127.202.0.1";

    public static async Task<IReadOnlyList<ResultTable>> RunAsync(ArmWorkflowBenchmarkOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var durations = Durations(options.Profile);
        await using var emulator = await AzureEmulator.StartAsync(
            new EmulatorOptions { Port = 0, PublicIpRangeStart = PublicIpRangeStart, NicReservation = options.NicReservation, RequestLogCapacity = 1_000_000 },
            cancellationToken);
        foreach (var (name, value) in emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        using var loggerFactory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.None));
        EpisodeCounter? counter = null;
        await using var sidecar = await InMemorySidecar.StartAsync(
            concurrency: 100, loggerFactory, cancellationToken, decorate: inner => counter = new EpisodeCounter(inner));
        var clock = new ActivityClock();
        using var host = BuildHost(emulator, sidecar, clock, options.Profile);
        await host.StartAsync(cancellationToken);
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        var settings = WorkflowSettings.From(host.Services.GetRequiredService<IOptions<ProvisioningOptions>>().Value);

        // The target group exists before the app runs (infra creates it; the app's identity has rights in it only).
        var arm = host.Services.GetRequiredService<ArmClient>();
        await arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(emulator.SubscriptionId))
            .GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, ResourceGroupName, new ResourceGroupData(new AzureLocation(Location)), cancellationToken);

        // Warm-up with instant operations and fast settings: JIT, tokens, connections and the Key Vault challenge are not
        // per-host costs.
        progress("Warm-up host (instant operations)...");
        var fast = settings with
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            TimerResolution = TimeSpan.Zero,
            ExpectedNetworkDuration = TimeSpan.Zero,
            ExpectedVmDuration = TimeSpan.Zero,
            ExpectedExtensionDuration = TimeSpan.Zero,
            ExpectedDeletionDuration = TimeSpan.Zero,
        };
        var warm = await RunHostsAsync(client, ["benchwarm"], fast, cancellationToken);
        _ = await RunDeprovisionAsync(client, warm.Results, fast, cancellationToken);

        emulator.Control.Durations.VirtualMachine = durations.VirtualMachine;
        emulator.Control.Durations.Extension = durations.Extension;
        emulator.Control.Durations.Network = durations.Network;
        emulator.Control.Durations.Delete = durations.Delete;
        emulator.Control.ClearRequestLog();

        var names = Enumerable.Range(0, options.Hosts).Select(i => $"benchhost{i:D3}").ToArray();
        progress($"Provisioning {options.Hosts} host(s) with {options.Profile} durations (VM {durations.VirtualMachine.TotalSeconds} s, extension {durations.Extension.TotalSeconds} s, network {durations.Network.TotalSeconds} s, delete {durations.Delete.TotalSeconds} s)...");
        var provision = await RunHostsAsync(client, names, settings, cancellationToken);
        var provisionRequests = emulator.Control.RequestLog.ToList();
        emulator.Control.ClearRequestLog();

        progress($"Deprovisioning {options.Hosts} host(s)...");
        var deprovision = await RunDeprovisionAsync(client, provision.Results, settings, cancellationToken);
        var deprovisionRequests = emulator.Control.RequestLog.ToList();
        await host.StopAsync(cancellationToken);

        var provisionFloor = 2 * durations.Network + durations.VirtualMachine + durations.Extension;
        var provisionSerial = 4 * durations.Network + durations.VirtualMachine + durations.Extension;
        var deprovisionFloor = 3 * durations.Delete;
        var deprovisionSerial = 5 * durations.Delete;
        return
        [
            Table(
                $"Workflow against the emulator: provisioning ({options.Profile} durations, {options.Hosts} host(s) at once)",
                provision, provisionRequests, counter!, clock, options.Hosts,
                [("ARM serial time: 4 network PUTs, VM, extension", provisionSerial), ("ARM critical path: 2 network stages, VM, extension", provisionFloor)]),
            Table(
                $"Workflow against the emulator: deprovisioning ({options.Profile} durations, {options.Hosts} host(s) at once)",
                deprovision, deprovisionRequests, counter!, clock, options.Hosts,
                [("ARM serial time: 5 deletions", deprovisionSerial), ("ARM critical path: VM, NIC, the rest", deprovisionFloor)],
                $"NIC reservation after the VM delete: {options.NicReservation.TotalSeconds} s (Azure: 180 s)."),
        ];
    }

    private static ResultTable Table(
        string title, Phase phase, IReadOnlyList<RequestLogEntry> requests, EpisodeCounter counter, ActivityClock clock, int hosts,
        IReadOnlyList<(string Label, TimeSpan Time)> references, string? note = null)
    {
        double PerHost(long total) => (double)total / hosts;
        var arm = requests.Where(r => r.Path.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)).ToList();
        var vault = requests.Where(r => r.Path.StartsWith("/secrets", StringComparison.OrdinalIgnoreCase) || r.Path.StartsWith("/deletedsecrets", StringComparison.OrdinalIgnoreCase)).ToList();
        static bool IsRead(RequestLogEntry r) => r.Method is "GET" or "HEAD";
        var counts = phase.InstanceIds.Select(counter.For).ToList();
        var runs = phase.InstanceIds.SelectMany(clock.For).ToList();
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "hosts, succeeded", $"{hosts}, {phase.Succeeded}" },
            new[] { "end to end s (mean per host)", Format.Seconds(phase.MeanElapsed) },
        };
        rows.AddRange(references.Select(r => (IReadOnlyList<string>)[$"  minus {r.Label} ({r.Time.TotalSeconds:N0} s)", Format.Seconds(phase.MeanElapsed - r.Time)]));
        rows.AddRange(
        [
            ["ARM writes / reads per host", $"{Format.Rate(PerHost(arm.Count(r => !IsRead(r))))} / {Format.Rate(PerHost(arm.Count(IsRead)))}"],
            ["  by operation", string.Join(", ", arm.GroupBy(r => r.Operation).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {Format.Rate(PerHost(g.Count()))}"))],
            ["Key Vault operations per host (reads + writes)", $"{Format.Rate(PerHost(vault.Count))} ({Format.Rate(PerHost(vault.Count(IsRead)))} + {Format.Rate(PerHost(vault.Count(r => !IsRead(r))))})"],
            ["activities per host", Format.Rate(PerHost(runs.Count))],
            ["  by name", string.Join(", ", runs.GroupBy(r => r.Name).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {Format.Rate(PerHost(g.Count()))}"))],
            ["Σ activity time s per host", Format.Rate(runs.Sum(r => r.Elapsed.TotalSeconds) / hosts)],
            ["  longest activities s", string.Join(", ", runs.GroupBy(r => r.Name).Select(g => (g.Key, Seconds: g.Sum(r => r.Elapsed.TotalSeconds) / hosts)).OrderByDescending(g => g.Seconds).Take(4).Select(g => $"{g.Key} {Format.Rate(g.Seconds)}"))],
            ["durable timers per host", Format.Rate(PerHost(counts.Sum(c => c.Timers)))],
            ["episodes (replays of the history) per host", Format.Rate(PerHost(counts.Sum(c => c.Episodes)))],
        ]);
        return new ResultTable(title, ["measure", "value"], rows,
            [
                "In-memory Durable Task backend behind the gRPC sidecar (timers fire on time); the emulator answers Retry-After: 1 on operations in progress, as Microsoft.Network does.",
                .. note is null ? Array.Empty<string>() : [note],
            ]);
    }

    private static async Task<Phase> RunHostsAsync(DurableTaskClient client, IReadOnlyList<string> names, WorkflowSettings settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var ids = new List<string>();
        foreach (var name in names)
        {
            var spec = Spec(name) with { Settings = settings };
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ProvisionDockerVm), spec, new StartOrchestrationOptions(InstanceIds.ForProvisioning(spec)), cancellationToken));
        }

        var results = await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var outputs = results.Select(r => (r.InstanceId, Result: r.ReadOutputAs<ProvisionDockerVmResult>())).ToList();
        var failed = outputs.Where(o => o.Result is not { Succeeded: true }).ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"Provisioning failed: {failed[0].Result?.ErrorCode} {failed[0].Result?.ErrorMessage}");
        }

        return new Phase(ids, outputs.Count, MeanElapsed(results, elapsed), outputs.Select(o => (o.InstanceId, o.Result!)).ToList());
    }

    private static async Task<Phase> RunDeprovisionAsync(
        DurableTaskClient client, IReadOnlyList<(string InstanceId, ProvisionDockerVmResult Result)> hosts, WorkflowSettings settings, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var ids = new List<string>();
        foreach (var (instanceId, result) in hosts)
        {
            var input = new DeprovisionDockerVmInput(instanceId, result.CreatedResourceIds, result.Secrets!.Names, null) { Settings = settings };
            ids.Add(await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(DeprovisionDockerVm), input, new StartOrchestrationOptions($"{instanceId}-deprovision"), cancellationToken));
        }

        var results = await Task.WhenAll(ids.Select(id => client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var succeeded = results.Count(r => r.ReadOutputAs<DeprovisionDockerVmResult>() is { Succeeded: true });
        return new Phase(ids, succeeded, MeanElapsed(results, elapsed), []);
    }

    /// <summary>Created → completed as the backend recorded it, averaged; the batch's wall time if it recorded none.</summary>
    private static TimeSpan MeanElapsed(OrchestrationMetadata[] results, TimeSpan batch) =>
        results.All(r => r.LastUpdatedAt > r.CreatedAt)
            ? TimeSpan.FromTicks((long)results.Average(r => (r.LastUpdatedAt - r.CreatedAt).Ticks))
            : batch;

    private static IHost BuildHost(AzureEmulator emulator, InMemorySidecar sidecar, ActivityClock clock, ArmProfile profile)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(emulator.ConfigurationValues.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
        builder.Configuration.AddInMemoryCollection(ProfileSettings(profile));
        builder.Services.AddDockerVmProvisioning();
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry =>
            {
                registry.AddOrchestrator<ProvisionDockerVm>().AddOrchestrator<DeprovisionDockerVm>();
                foreach (var type in ActivityTypes())
                {
                    registry.AddActivity(new TaskName(type.Name), sp => new TimedActivity((ITaskActivity)ActivatorUtilities.CreateInstance(sp, type), clock));
                }
            });
            worker.UseGrpc();
            worker.Services.AddOptions<GrpcDurableTaskWorkerOptions>(worker.Name).Configure(grpc => grpc.Address = sidecar.Address.ToString());
            worker.Services.AddOptions<DurableTaskWorkerOptions>(worker.Name).Configure(settings =>
            {
                settings.Concurrency.MaximumConcurrentOrchestrationWorkItems = 100;
                settings.Concurrency.MaximumConcurrentActivityWorkItems = 100;
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Services.AddOptions<GrpcDurableTaskClientOptions>(client.Name).Configure(grpc => grpc.Address = sidecar.Address.ToString());
        });
        return builder.Build();
    }

    /// <summary>Every activity of the workflow (the classes <c>AddDockerVmWorkflow</c> registers), by class name.</summary>
    private static IEnumerable<Type> ActivityTypes() =>
        typeof(ProvisionDockerVm).Assembly.GetExportedTypes().Where(t =>
            t is { IsClass: true, IsAbstract: false } && t.Namespace?.StartsWith("DockerVm.Provisioning.Activities", StringComparison.Ordinal) == true
            && typeof(ITaskActivity).IsAssignableFrom(t));

    private static LroDurations Durations(ArmProfile profile) => profile == ArmProfile.Azure
        ? new LroDurations { VirtualMachine = TimeSpan.FromSeconds(90), Extension = TimeSpan.FromSeconds(60), Network = TimeSpan.FromSeconds(5), Delete = TimeSpan.FromSeconds(10) }
        : new LroDurations { VirtualMachine = TimeSpan.FromSeconds(3), Extension = TimeSpan.FromSeconds(2), Network = TimeSpan.Zero, Delete = TimeSpan.FromSeconds(1) };

    /// <summary>The settings each profile's host runs with: Azure's are the defaults; local ones are
    /// <c>local.settings.sample.json</c>'s.</summary>
    private static Dictionary<string, string?> ProfileSettings(ArmProfile profile)
    {
        var settings = new Dictionary<string, string?>
        {
            // Validated on start; the record store itself is not used here.
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        };
        if (profile == ArmProfile.Local)
        {
            // local.settings.sample.json: ./run.sh's emulator takes VM 3 s, extension 2 s, network 0 s, delete 1 s.
            settings["Provisioning:PollInterval"] = "00:00:01";
            settings["Provisioning:ExpectedNetworkDuration"] = "00:00:00";
            settings["Provisioning:ExpectedVmDuration"] = "00:00:03";
            settings["Provisioning:ExpectedExtensionDuration"] = "00:00:02";
            settings["Provisioning:ExpectedDeletionDuration"] = "00:00:01";
        }

        // The in-memory backend honours timers to the millisecond (the Azure Storage provider: whole seconds).
        settings["Provisioning:TimerResolution"] = "00:00:00";

        return settings;
    }

    private static DockerVmSpec Spec(string name) => new()
    {
        Name = name,
        ResourceGroup = ResourceGroupName,
        Location = Location,
        VmSize = "Standard_B2s",
        Image = ProvisionRequestValidator.DefaultImage,
        AdminUsername = "azureuser",
        SshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/NMyFOZ9DB+Rzop3WVJF2gdsaqXUCAJy1zi+nh2YGT bench@dockervm",
        AllowedSourceCidrs = ["203.0.113.0/24"],
        DockerPort = ProvisionRequestValidator.DefaultDockerPort,
        Installer = ProvisionRequestValidator.DefaultInstaller,
        DaemonOptions = ProvisionRequestValidator.DefaultDaemonOptions,
        Tags = new Dictionary<string, string> { ["env"] = "bench" },
        Callback = null,
        KeyAlgorithm = ProvisionRequestValidator.DefaultKeyAlgorithm,
        IncludeLoopbackInServerCertificate = false,
        CertificateValidityDays = ProvisionRequestValidator.DefaultCertificateValidityDays,
    };

    private sealed record Phase(
        IReadOnlyList<string> InstanceIds, int Succeeded, TimeSpan MeanElapsed, IReadOnlyList<(string InstanceId, ProvisionDockerVmResult Result)> Results);
}
