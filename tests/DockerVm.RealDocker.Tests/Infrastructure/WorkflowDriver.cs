using Azure.Core;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>
/// The workflow's own activities, in the orchestrator's order, against an embedded emulator through the production
/// Azure client wiring (ArmClient, SecretClient, the managed-identity credential), with every extension PUT recorded.
/// </summary>
internal sealed class WorkflowDriver : IAsyncDisposable
{
    public const string Location = "westeurope";
    public const int DockerPort = 2376;
    public const string AdminUsername = "azureuser";
    private const string SshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/NMyFOZ9DB+Rzop3WVJF2gdsaqXUCAJy1zi+nh2YGT test@example";

    private readonly ServiceProvider _services;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ArmOperationHandle> _extensionOperations = new(StringComparer.OrdinalIgnoreCase);

    private WorkflowDriver(AzureEmulator emulator, ServiceProvider services, ExtensionPutRecorder recorder)
    {
        Emulator = emulator;
        _services = services;
        Recorder = recorder;
        Arm = services.GetRequiredService<ArmClient>();
        Secrets = services.GetRequiredService<SecretClient>();
        Azure = services.GetRequiredService<IOptions<AzureOptions>>();
    }

    public AzureEmulator Emulator { get; }

    public ExtensionPutRecorder Recorder { get; }

    public ArmClient Arm { get; }

    public SecretClient Secrets { get; }

    public IOptions<AzureOptions> Azure { get; }

    public static async Task<WorkflowDriver> StartAsync(DockerMode docker, string? guestWorkDirectory = null)
    {
        // A managed identity of its own: Azure.Identity caches managed-identity tokens process-wide by client id, and an
        // earlier emulator signed those.
        var identity = Guid.NewGuid().ToString();
        var emulator = await AzureEmulator.StartAsync(new EmulatorOptions
        {
            Port = 0,
            ManagedIdentityClientId = identity,
            Docker = docker,
            GuestWorkDirectory = guestWorkDirectory,
            Durations = new LroDurations { VirtualMachine = TimeSpan.Zero, Extension = TimeSpan.Zero, Network = TimeSpan.Zero, Delete = TimeSpan.Zero },
            NicReservation = TimeSpan.Zero,
        });
        foreach (var (key, value) in emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(emulator.ConfigurationValues.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
            .AddInMemoryCollection([KeyValuePair.Create("Azure:ManagedIdentityClientId", (string?)identity)])
            .Build();
        var recorder = new ExtensionPutRecorder();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddDockerVmProvisioning();
        services.AddAzureClients(builder => builder.ConfigureDefaults(options => options.AddPolicy(recorder, HttpPipelinePosition.PerCall)));
        return new WorkflowDriver(emulator, services.BuildServiceProvider(), recorder);
    }

    /// <summary>Resource group (infra's part: the app never creates groups), then NSG (SSH and the Docker port from
    /// <paramref name="allowedSourceCidrs"/>), public IP and VNet, the NIC and the VM, as the orchestrator creates them:
    /// each started, then checked with <see cref="GetArmOperationStatus"/> until done.</summary>
    public async Task<CreatedVm> CreateVmAsync(string vmName, IReadOnlyList<string> allowedSourceCidrs)
    {
        var names = new DockerVmResourceNames("rg-realdocker", vmName);
        var context = new TestActivityContext("realdocker-" + vmName);
        var tags = WorkflowTags.ForResource(new Dictionary<string, string>(), context.InstanceId);
        var subscription = Arm.GetSubscriptionResource(global::Azure.ResourceManager.Resources.SubscriptionResource.CreateResourceIdentifier(Emulator.SubscriptionId));
        await subscription.GetResourceGroups().CreateOrUpdateAsync(global::Azure.WaitUntil.Completed, names.ResourceGroup, new global::Azure.ResourceManager.Resources.ResourceGroupData(Location));
        var nsg = await new CreateNetworkSecurityGroup(Arm, Azure).RunAsync(context, new CreateNetworkSecurityGroupInput(
            names.ResourceGroup, Location, names.NetworkSecurityGroup, allowedSourceCidrs, DockerPort, tags));
        await CompleteAsync(context, nsg.Operation);
        var ip = await new CreatePublicIpAddress(Arm, Azure).RunAsync(context, new CreatePublicIpAddressInput(names.ResourceGroup, Location, names.PublicIpAddress, names.DnsLabel, tags));
        await CompleteAsync(context, ip.Operation);
        var address = await new GetPublicIpAddress(Arm).RunAsync(context, new GetPublicIpAddressInput(ip.ResourceId));
        var vnet = await new CreateVirtualNetwork(Arm, Azure).RunAsync(context, new CreateVirtualNetworkInput(names.ResourceGroup, Location, names.VirtualNetwork, tags));
        await CompleteAsync(context, vnet.Operation);
        var nic = await new CreateNetworkInterface(Arm, Azure).RunAsync(context, new CreateNetworkInterfaceInput(
            names.ResourceGroup, Location, names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags));
        await CompleteAsync(context, nic.Operation);
        var vm = await new StartVirtualMachineCreation(Arm, Azure, NullLogger<StartVirtualMachineCreation>.Instance).RunAsync(context, new StartVirtualMachineCreationInput(
            names.ResourceGroup, Location, vmName, "Standard_B2s", ProvisionRequestValidator.DefaultImage, AdminUsername, SshKey, nic.ResourceId, names.OsDisk, tags));
        await CompleteAsync(context, vm.Operation);
        return new CreatedVm(names, vm.VmResourceId, address.IpAddress!, address.Fqdn!, context, tags);
    }

    /// <summary>The NSG again with other caller CIDRs (an idempotent PUT, as a retried activity sends it).</summary>
    public Task UpdateNsgAsync(CreatedVm vm, IReadOnlyList<string> allowedSourceCidrs) =>
        new CreateNetworkSecurityGroup(Arm, Azure).RunAsync(vm.Context, new CreateNetworkSecurityGroupInput(
            vm.Names.ResourceGroup, Location, vm.Names.NetworkSecurityGroup, allowedSourceCidrs, DockerPort, vm.Tags));

    /// <summary>The certificate set for <paramref name="address"/> (the VM's public IP) into Key Vault.</summary>
    public Task<DockerSecretIdentifiers> IssueCertificatesAsync(CreatedVm vm, string address, CertificateKeyAlgorithm algorithm) =>
        new IssueDockerCertificates(new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance), Secrets, NullLogger<IssueDockerCertificates>.Instance)
            .RunAsync(vm.Context, new IssueDockerCertificatesInput(vm.Names, vm.VmResourceId, vm.Fqdn, address, algorithm, IncludeLoopback: false, ValidityDays: 30));

    public async Task<string> StartInstallationAsync(CreatedVm vm, DockerInstaller installer, DockerSecretIdentifiers secrets)
    {
        var started = await new StartDockerInstallation(Arm, Secrets, Azure, NullLogger<StartDockerInstallation>.Instance).RunAsync(vm.Context, new StartDockerInstallationInput(
            vm.VmResourceId, Location, installer, DockerPort, ProvisionRequestValidator.DefaultDaemonOptions, secrets, vm.Tags, vm.Fqdn));
        _extensionOperations[started.ExtensionResourceId] = started.Operation;
        return started.ExtensionResourceId;
    }

    public async Task<string> StartVerificationAsync(CreatedVm vm, DockerSecretIdentifiers secrets)
    {
        var started = await new StartDockerVerification(Arm, Secrets, NullLogger<StartDockerVerification>.Instance).RunAsync(vm.Context, new StartDockerVerificationInput(
            vm.VmResourceId, Location, vm.Fqdn, DockerPort, secrets, vm.Tags));
        _extensionOperations[started.ExtensionResourceId] = started.Operation;
        return started.ExtensionResourceId;
    }

    /// <summary>Checks the extension's operation as the orchestrator does, until Succeeded or Failed.</summary>
    public Task<ArmOperationState> WaitForExtensionAsync(CreatedVm vm, string extensionId, TimeSpan timeout) =>
        CompleteAsync(vm.Context, _extensionOperations[extensionId], timeout);

    /// <summary>What the orchestrator's durable timers do between checks, here a short delay (a test drives the steps).</summary>
    private async Task<ArmOperationState> CompleteAsync(TestActivityContext context, ArmOperationHandle operation, TimeSpan? timeout = null)
    {
        if (operation.Done)
        {
            return new ArmOperationState("Succeeded", null, null);
        }

        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(1));
        while (true)
        {
            var state = await new GetArmOperationStatus(Arm).RunAsync(context, operation);
            if (state.IsTerminal || DateTime.UtcNow > deadline)
            {
                return state;
            }

            await Task.Delay(250);
        }
    }

    public Task<VerifyDockerEndpointOutput> VerifyAsync(CreatedVm vm, string extensionId) =>
        new VerifyDockerEndpoint(Arm, NullLogger<VerifyDockerEndpoint>.Instance).RunAsync(vm.Context, new VerifyDockerEndpointInput(extensionId, vm.Fqdn, DockerPort));

    /// <summary>Deletes the VM as the cleanup does and waits until ARM no longer has it.</summary>
    public async Task DeleteVmAsync(CreatedVm vm)
    {
        var deleted = await new DeleteResource(Arm, NullLogger<DeleteResource>.Instance).RunAsync(vm.Context, new DeleteResourceInput(vm.VmResourceId));
        if (!deleted.AlreadyGone && deleted.Operation is { } operation)
        {
            await CompleteAsync(vm.Context, operation);
        }
    }

    /// <summary>ca.pem and a certificate pair from the vault (the client's, or another secret pair) into <paramref name="directory"/>.</summary>
    public async Task<CertificateFiles> WriteCertificatesAsync(string directory, string caSecret, string certificateSecret, string keySecret) =>
        await CertificateFiles.WriteAsync(
            directory, (await Secrets.GetSecretAsync(caSecret)).Value.Value, (await Secrets.GetSecretAsync(certificateSecret)).Value.Value,
            (await Secrets.GetSecretAsync(keySecret)).Value.Value);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
