using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Storage;
using DockerVm.Provisioning.Tests.Application;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DockerVm.Provisioning.Tests.Orchestrations;

/// <summary>
/// The real activities, Azure clients (pinned transport, managed-identity credential) and orchestrators against the
/// local Azure emulator, on the in-memory Durable Task host: ARM PUT/GET/DELETE, Key Vault writes, the installer's
/// protected settings and the mutual-TLS check against the emulated Docker daemon.
/// </summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class EmulatorWorkflowTests(EmulatorFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(DockerInstaller.CustomScript)]
    [InlineData(DockerInstaller.DockerExtension)]
    public async Task Provision_AgainstEmulator_VerifiesDockerOverMutualTlsThenDeprovisionRemovesEverything(DockerInstaller installer)
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.Durations.VirtualMachine = TimeSpan.FromMilliseconds(600);
        emulator.Control.Durations.Extension = TimeSpan.FromMilliseconds(300);
        await using var host = await StartHostAsync(emulator);
        var service = host.Services.GetRequiredService<DockerVmService>();
        var name = installer == DockerInstaller.CustomScript ? "emuhost1" : "emuhost2";

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var accepted = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(
            host.Client, DockerVmServiceTests.Request(name) with { Installer = installer }, null, CancellationToken.None));
        var metadata = await WaitAsync(host.Client, accepted.InstanceId);
        output.WriteLine($"{installer}: provisioned against the emulator (VM 600 ms, extension 300 ms, poll 100 ms) in {stopwatch.ElapsedMilliseconds} ms");
        var result = metadata.ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage} at {result.FailedStep}");
        Assert.False(string.IsNullOrEmpty(result.DockerVersion));
        Assert.StartsWith("127.", result.PublicIpAddress, StringComparison.Ordinal);
        Assert.Matches($@"^tcp://{name}\.[a-z0-9]{{16}}\.westeurope\.cloudapp\.azure\.com:2376$", result.DockerHost);
        var secrets = host.Services.GetRequiredService<SecretClient>();
        var clientKey = (await secrets.GetSecretAsync(new KeyVaultSecretIdentifier(result.Secrets!.ClientKey).Name)).Value;
        Assert.Equal(IssueDockerCertificates.PemContentType, clientKey.Properties.ContentType);
        Assert.Equal(accepted.InstanceId, clientKey.Properties.Tags[WorkflowTags.InstanceId]);

        var deprovision = Assert.IsType<DeprovisionAccepted>(await service.DeprovisionAsync(host.Client, accepted.InstanceId, CancellationToken.None));
        var removal = (await WaitAsync(host.Client, deprovision.DeprovisionInstanceId)).ReadOutputAs<DeprovisionDockerVmResult>()!;
        output.WriteLine($"{installer}: provisioned and deprovisioned in {stopwatch.ElapsedMilliseconds} ms");

        Assert.True(removal.Succeeded, $"{removal.ErrorCode}: {removal.ErrorMessage}");
        await AssertGoneAsync(host, result.CreatedResourceIds);

        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => secrets.GetSecretAsync(clientKey.Name));
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task Provision_AgainstEmulator_AllocationFailureCompensatesAndCarriesArmCode()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.InjectFault(new FaultRule
        {
            PathPattern = "*/virtualMachines/*",
            Method = "PUT",
            Kind = FaultKind.OperationFailed,
            ErrorCode = "AllocationFailed",
            ErrorMessage = "Allocation failed. We do not have sufficient capacity.",
        });
        await using var host = await StartHostAsync(emulator);

        var result = await ProvisionAsync(host, "emuhost3");

        Assert.False(result.Succeeded);
        Assert.Equal("AllocationFailed", result.ErrorCode);
        Assert.Equal(ProvisioningStep.CreatingVirtualMachine, result.FailedStep);
        Assert.Empty(result.CreatedResourceIds);
        await AssertGoneAsync(host, new DockerVmResourceNames("rg-docker", "emuhost3").AllResourceIds(emulator.SubscriptionId));
    }

    [Fact]
    public async Task Provision_AgainstEmulator_ExtensionFailureReportsInstallerMessageAndCompensates()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.InjectFault(new FaultRule
        {
            PathPattern = "*/virtualMachines/emuhost4/extensions/*",
            Method = "PUT",
            Kind = FaultKind.OperationFailed,
            ErrorCode = "VMExtensionProvisioningError",
            ErrorMessage = "Enable failed: apt-get install docker.io exited with status 100",
        });
        await using var host = await StartHostAsync(emulator);

        var result = await ProvisionAsync(host, "emuhost4");

        Assert.False(result.Succeeded);
        Assert.Equal("VMExtensionProvisioningError", result.ErrorCode);
        Assert.Contains("apt-get install docker.io exited with status 100", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ProvisioningStep.InstallingDocker, result.FailedStep);
        await AssertGoneAsync(host, new DockerVmResourceNames("rg-docker", "emuhost4").AllResourceIds(emulator.SubscriptionId));
    }

    [Fact]
    public async Task Provision_AgainstEmulator_VmSlowerThanDeadline_FailsWithTimeoutAndDeletesTheCreatingVm()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.Durations.VirtualMachine = TimeSpan.FromSeconds(30);
        await using var host = await StartHostAsync(emulator, new() { ["Provisioning:VmReadyTimeout"] = "00:00:01" });

        var result = await ProvisionAsync(host, "emuhost5");

        Assert.False(result.Succeeded);
        Assert.Equal("VmReadyTimeout", result.ErrorCode);
        Assert.Equal(ProvisioningStep.CreatingVirtualMachine, result.FailedStep);
        Assert.Empty(result.CreatedResourceIds);
        await AssertGoneAsync(host, new DockerVmResourceNames("rg-docker", "emuhost5").AllResourceIds(emulator.SubscriptionId));
    }

    /// <summary>
    /// Audit finding 4: Azure keeps the NIC reserved for 180 s after its VM is deleted and refuses the NIC delete with
    /// 400 NicReservedForAnotherVm. Before the fix cleanup took that as final and left NIC, VNet, public IP and NSG.
    /// Reservation shortened to 3 s here; the workflow asks again on durable timers.
    /// </summary>
    [Fact]
    public async Task Deprovision_AgainstEmulatorNicReservedAfterVmDelete_RetriesUntilFreeAndLeavesNothing()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.NicReservation = TimeSpan.FromSeconds(3);
        await using var host = await StartHostAsync(emulator);
        var service = host.Services.GetRequiredService<DockerVmService>();
        var accepted = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(host.Client, DockerVmServiceTests.Request("emuhost6"), null, CancellationToken.None));
        var result = (await WaitAsync(host.Client, accepted.InstanceId)).ReadOutputAs<ProvisionDockerVmResult>()!;
        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        emulator.Control.ClearRequestLog();

        var deprovision = Assert.IsType<DeprovisionAccepted>(await service.DeprovisionAsync(host.Client, accepted.InstanceId, CancellationToken.None));
        var removal = (await WaitAsync(host.Client, deprovision.DeprovisionInstanceId)).ReadOutputAs<DeprovisionDockerVmResult>()!;

        Assert.True(removal.Succeeded, $"{removal.ErrorCode}: {removal.ErrorMessage}");
        Assert.Equal(result.CreatedResourceIds.Count, removal.DeletedResourceIds.Count);
        await AssertGoneAsync(host, result.CreatedResourceIds);
        Assert.Contains(emulator.Control.RequestLog, r => r.Method == "DELETE" && r.Status == 400 && r.Path.Contains("/networkInterfaces/emuhost6", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The same reservation after a VM that failed to create (Azure/karpenter-provider-azure#92): compensation
    /// waits it out too and removes everything.</summary>
    [Fact]
    public async Task Provision_AgainstEmulatorAllocationFailureThenNicReserved_CompensationLeavesNothing()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.NicReservation = TimeSpan.FromSeconds(2);
        emulator.Control.InjectFault(new FaultRule
        {
            PathPattern = "*/virtualMachines/emuhost7",
            Method = "PUT",
            Kind = FaultKind.OperationFailed,
            ErrorCode = "AllocationFailed",
        });
        await using var host = await StartHostAsync(emulator);

        var result = await ProvisionAsync(host, "emuhost7");

        Assert.Equal("AllocationFailed", result.ErrorCode);
        Assert.Empty(result.CreatedResourceIds);
        await AssertGoneAsync(host, new DockerVmResourceNames("rg-docker", "emuhost7").AllResourceIds(emulator.SubscriptionId));
        Assert.Contains(emulator.Control.RequestLog, r => r.Method == "DELETE" && r.Status == 400 && r.Path.Contains("/networkInterfaces/emuhost7", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Audit finding 7: on a just-booted VM unattended-upgrades holds the dpkg lock (Azure/azure-cli#24486). With the
    /// emulator's DpkgLockHeld fault on, the old script (plain apt-get install) failed with exit status 100 and the VM
    /// was torn down; the install script now waits for the lock.
    /// </summary>
    [Fact]
    public async Task Provision_AgainstEmulatorDpkgLockHeldOnFirstApt_InstallWaitsForTheLockAndSucceeds()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.InjectFault(new FaultRule { PathPattern = "*/virtualMachines/emuhost8/extensions/*", Method = "PUT", Kind = FaultKind.DpkgLockHeld });
        await using var host = await StartHostAsync(emulator);

        var result = await ProvisionAsync(host, "emuhost8");

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage} at {result.FailedStep}");
        Assert.Empty(emulator.Control.Faults);
    }

    /// <summary>
    /// Audit finding 15 / issue D: Debian's docker.io puts dockerd in /usr/sbin, so the old drop-in's
    /// ExecStart=/usr/bin/dockerd never started on the Debian images the API offers; the script now resolves it.
    /// </summary>
    [Fact]
    public async Task Provision_DebianImageAgainstEmulator_DockerdResolvedOnTheVmAndVerified()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        await using var host = await StartHostAsync(emulator);
        var service = host.Services.GetRequiredService<DockerVmService>();
        var request = DockerVmServiceTests.Request("emuhost9") with { Image = new VmImageReference("Debian", "debian-12", "12-gen2", "latest") };

        var accepted = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(host.Client, request, null, CancellationToken.None));
        var result = (await WaitAsync(host.Client, accepted.InstanceId)).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage} at {result.FailedStep}");
        Assert.False(string.IsNullOrEmpty(result.DockerVersion));
    }

    /// <summary>
    /// Issue 13, items 2 and 3: every write starts with one short activity and is checked once it can be done. With the
    /// expected durations met (and ARM's Retry-After of 1 s waited), each operation costs one read: NSG, VNet, NIC, VM
    /// and extension one status GET each (Azure-AsyncOperation), the public IP one GET of itself (address and FQDN come
    /// with it), the in-VM check one GET of the extension. Before: an immediate poll after every PUT, then one per
    /// Retry-After inside the network activities (38 reads with Azure-like durations).
    /// </summary>
    [Fact]
    public async Task Provision_AgainstEmulatorExpectedDurationsMet_SixWritesAndOneReadPerOperation()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.Durations.Network = TimeSpan.FromMilliseconds(300);
        emulator.Control.Durations.VirtualMachine = TimeSpan.FromMilliseconds(600);
        emulator.Control.Durations.Extension = TimeSpan.FromMilliseconds(300);
        await using var host = await StartHostAsync(emulator, new() { ["Provisioning:ExpectedNetworkDuration"] = "00:00:00.300" });
        emulator.Control.ClearRequestLog();

        var result = await ProvisionAsync(host, "emuhost10");

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage} at {result.FailedStep}");
        var arm = emulator.Control.RequestLog.Where(r => r.Path.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var request in arm)
        {
            output.WriteLine($"{request.Time:HH:mm:ss.fff} {request.Method} {request.Status} {request.Path}");
        }

        Assert.Equal(6, arm.Count(r => r.Method == "PUT"));
        Assert.Equal(3, arm.Count(r => r.Method == "GET" && r.Operation == "GET Microsoft.Network/locations/operations"));
        Assert.Equal(1, arm.Count(r => r.Method == "GET" && r.Operation == "GET Microsoft.Network/publicIPAddresses"));
        Assert.Equal(1, arm.Count(r => r.Method == "GET" && r.Operation == "GET Microsoft.Compute/virtualMachines/extensions"));

        // VM and extension one status GET each; the extension a second one only when the emulator was still starting
        // the daemon and running the in-VM check at the first.
        Assert.InRange(arm.Count(r => r.Method == "GET" && r.Operation == "GET Microsoft.Compute/locations/operations"), 2, 3);
        Assert.InRange(arm.Count(r => r.Method == "GET"), 7, 8);
        Assert.DoesNotContain(arm, r => r.Path.EndsWith("/resourceGroups/" + TargetResourceGroup, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The app's identity has rights in the target group only and never creates groups (README, "What the
    /// app's identity may do"): a missing group is ARM's own error at the first PUT, nothing is read or created.</summary>
    [Fact]
    public async Task Provision_TargetResourceGroupMissing_FailsWithResourceGroupNotFoundAndNeverCreatesIt()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        await using var host = await StartHostAsync(emulator);
        emulator.Control.ClearRequestLog();
        var service = host.Services.GetRequiredService<DockerVmService>();
        var request = DockerVmServiceTests.Request("emuhost12") with { ResourceGroup = "rg-absent" };

        var accepted = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(host.Client, request, null, CancellationToken.None));
        var result = (await WaitAsync(host.Client, accepted.InstanceId)).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.False(result.Succeeded);
        Assert.Equal("ResourceGroupNotFound", result.ErrorCode);
        Assert.Equal(ProvisioningStep.CreatingNetwork, result.FailedStep);
        Assert.Empty(result.CreatedResourceIds);
        Assert.DoesNotContain(emulator.Control.RequestLog, r => r.Path.EndsWith("/resourceGroups/rg-absent", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(emulator.Control.RequestLog, r => r.Method == "PUT" && r.Status < 300);
    }

    /// <summary>Issue 13, item 5: the VM first, then its NIC (which waits out the reservation), then NSG, public IP and
    /// VNet together: all three DELETEs are sent before any of their operations is checked.</summary>
    [Fact]
    public async Task Deprovision_AgainstEmulator_DeletesVmThenNicThenNsgIpAndVnetTogether()
    {
        var emulator = fixture.Emulator;
        Reset(emulator);
        emulator.Control.Durations.Delete = TimeSpan.FromMilliseconds(300);
        await using var host = await StartHostAsync(emulator, new() { ["Provisioning:ExpectedDeletionDuration"] = "00:00:00.300" });
        var service = host.Services.GetRequiredService<DockerVmService>();
        var accepted = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(host.Client, DockerVmServiceTests.Request("emuhost11"), null, CancellationToken.None));
        var result = (await WaitAsync(host.Client, accepted.InstanceId)).ReadOutputAs<ProvisionDockerVmResult>()!;
        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        emulator.Control.ClearRequestLog();

        var deprovision = Assert.IsType<DeprovisionAccepted>(await service.DeprovisionAsync(host.Client, accepted.InstanceId, CancellationToken.None));
        var removal = (await WaitAsync(host.Client, deprovision.DeprovisionInstanceId)).ReadOutputAs<DeprovisionDockerVmResult>()!;

        Assert.True(removal.Succeeded, $"{removal.ErrorCode}: {removal.ErrorMessage}");
        await AssertGoneAsync(host, result.CreatedResourceIds);
        var log = emulator.Control.RequestLog.ToList();
        int Index(Func<RequestLogEntry, bool> match) => log.FindIndex(r => match(r));
        int LastIndex(Func<RequestLogEntry, bool> match) => log.FindLastIndex(r => match(r));
        bool Deletes(RequestLogEntry r, string type) => r.Method == "DELETE" && r.Path.Contains($"/{type}/", StringComparison.OrdinalIgnoreCase);
        var vm = Index(r => Deletes(r, "virtualMachines"));
        var nic = LastIndex(r => Deletes(r, "networkInterfaces"));
        var rest = LastStage.Select(t => Index(r => Deletes(r, t))).ToList();
        Assert.Equal(0, vm);
        Assert.True(nic > vm, "the NIC went after the VM");
        Assert.All(rest, i => Assert.True(i > nic, "NSG, public IP and VNet went after the NIC"));
        Assert.DoesNotContain(log.Skip(rest.Min()).Take(rest.Max() - rest.Min()), r => r.Method == "GET" && r.Path.Contains("/operations/", StringComparison.OrdinalIgnoreCase));
    }

    private const string TargetResourceGroup = "rg-docker";

    private static readonly string[] LastStage = ["networkSecurityGroups", "publicIPAddresses", "virtualNetworks"];

    /// <summary>Tests share one emulator: each starts from no faults, instant operations and a short NIC reservation.</summary>
    private static void Reset(AzureEmulator emulator)
    {
        emulator.Control.ClearFaults();
        emulator.Control.Durations.VirtualMachine = TimeSpan.Zero;
        emulator.Control.Durations.Extension = TimeSpan.Zero;
        emulator.Control.Durations.Network = TimeSpan.Zero;
        emulator.Control.Durations.Delete = TimeSpan.Zero;
        emulator.Control.NicReservation = EmulatorFixture.NicReservation;
    }

    private static async Task<DurableTaskTestHost> StartHostAsync(AzureEmulator emulator, Dictionary<string, string?>? overrides = null)
    {
        // The credential code is production code: it finds the emulator's managed-identity endpoint in the environment.
        foreach (var (key, value) in emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        var settings = new Dictionary<string, string?>(emulator.ConfigurationValues.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
        {
            ["Provisioning:PollInterval"] = "00:00:00.100",
            ["Provisioning:TransientRetryFirstInterval"] = "00:00:00.100",
            ["Provisioning:VmReadyTimeout"] = "00:00:30",
            ["Provisioning:ExtensionReadyTimeout"] = "00:00:30",

            // The in-memory backend's timers are exact; the first checks come when the emulator's operations are done.
            ["Provisioning:TimerResolution"] = "00:00:00",
            ["Provisioning:ExpectedNetworkDuration"] = "00:00:00",
            ["Provisioning:ExpectedVmDuration"] = "00:00:00.600",
            ["Provisioning:ExpectedExtensionDuration"] = "00:00:00.300",
            ["Provisioning:ExpectedDeletionDuration"] = "00:00:00",

            // Validated on start like in a host; the records themselves stay in memory here.
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var host = await DurableTaskTestHost.StartAsync(
            registry => registry.AddDockerVmWorkflow(),
            new DurableTaskTestHostOptions
            {
                Port = FreePort.Next(),
                ConfigureServices = services =>
                {
                    services.AddSingleton<IConfiguration>(configuration);
                    services.AddSingleton<IRecordStore, InMemoryRecordStore>();
                    services.AddDockerVmProvisioning();
                },
            });

        // The target group exists before the app runs (infra creates it); the workflow neither reads nor creates it.
        await EmulatorClients.CreateResourceGroupAsync(host.Services.GetRequiredService<ArmClient>(), emulator.SubscriptionId, TargetResourceGroup);
        return host;
    }

    /// <summary>Submits a request for <paramref name="name"/> through the application layer and waits for the result.</summary>
    private static async Task<ProvisionDockerVmResult> ProvisionAsync(DurableTaskTestHost host, string name)
    {
        var service = host.Services.GetRequiredService<DockerVmService>();
        var accepted = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(host.Client, DockerVmServiceTests.Request(name), null, CancellationToken.None));
        return (await WaitAsync(host.Client, accepted.InstanceId)).ReadOutputAs<ProvisionDockerVmResult>()!;
    }

    /// <summary>Every resource id answers 404 from ARM.</summary>
    private static async Task AssertGoneAsync(DurableTaskTestHost host, IEnumerable<string> resourceIds)
    {
        var arm = host.Services.GetRequiredService<ArmClient>();
        foreach (var id in resourceIds)
        {
            var ex = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(new ResourceIdentifier(id)).GetAsync());
            Assert.Equal(404, ex.Status);
        }
    }

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient client, string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var metadata = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{metadata.RuntimeStatus}: {metadata.FailureDetails}");
        return metadata;
    }
}

/// <summary>Emulator tests set process-wide managed-identity environment variables: run them one at a time, against
/// one emulator (the identity library caches tokens process-wide, and another emulator would not accept them).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatorTestGroup : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "Azure emulator";
}

public sealed class EmulatorFixture : IAsyncLifetime
{
    public AzureEmulator Emulator { get; private set; } = null!;

    // Public IPs are loopback addresses where emulated daemons listen: a range of its own per test run keeps this run's
    // daemons from colliding with another emulator on the machine.
    /// <summary>Azure's 180 s NIC reservation, shortened so every deprovisioning here still meets it.</summary>
    public static readonly TimeSpan NicReservation = TimeSpan.FromMilliseconds(500);

    public async Task InitializeAsync() => Emulator = await AzureEmulator.StartAsync(new EmulatorOptions
    {
        PublicIpRangeStart = $"127.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(0, 250)}.1",
        NicReservation = NicReservation,
    });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}
