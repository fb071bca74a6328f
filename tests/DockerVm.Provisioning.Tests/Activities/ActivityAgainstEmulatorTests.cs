using System.Security.Cryptography.X509Certificates;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Faults;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Tests.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Provisioning.Tests.Activities;

/// <summary>Single real activities against the emulator: idempotency and error translation through the real SDKs.</summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class ActivityAgainstEmulatorTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task IssueDockerCertificates_RetriedForSameInstance_AddsNoSecretVersions()
    {
        var secrets = EmulatorClients.Secrets(fixture.Emulator);
        var activity = new IssueDockerCertificates(
            new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance), secrets, NullLogger<IssueDockerCertificates>.Instance);
        var input = new IssueDockerCertificatesInput(
            new DockerVmResourceNames("rg-idem", "idemhost"), "/subscriptions/s/resourceGroups/rg-idem/providers/Microsoft.Compute/virtualMachines/idemhost",
            "idemhost.westeurope.cloudapp.azure.com", "127.0.1.77", CertificateKeyAlgorithm.EcdsaP256, IncludeLoopback: false, ValidityDays: 7);

        var first = await activity.RunAsync(new TestActivityContext("instance-a"), input);
        var retried = await activity.RunAsync(new TestActivityContext("instance-a"), input);
        var otherInstance = await activity.RunAsync(new TestActivityContext("instance-b"), input);

        Assert.Equal(first, retried);
        Assert.NotEqual(first.ClientKey, otherInstance.ClientKey);
        var versions = new List<SecretProperties>();
        await foreach (var version in secrets.GetPropertiesOfSecretVersionsAsync(input.Names.ClientKeySecret))
        {
            versions.Add(version);
        }

        Assert.Equal(2, versions.Count);
        var ca = (await secrets.GetSecretAsync(input.Names.CaCertificateSecret)).Value;
        Assert.Equal(IssueDockerCertificates.PemContentType, ca.Properties.ContentType);
        Assert.Equal("s/rg-idem/idemhost", ca.Properties.Tags[WorkflowTags.VmResourceId]);
        using var certificate = X509Certificate2.CreateFromPem((await secrets.GetSecretAsync(input.Names.ServerCertificateSecret)).Value.Value);
        Assert.Contains("idemhost.westeurope.cloudapp.azure.com", certificate.GetNameInfo(X509NameType.DnsName, forIssuer: false), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueDockerCertificates_NameHeldBySoftDeletedSecret_RecoversAndWritesNewVersion()
    {
        var secrets = EmulatorClients.Secrets(fixture.Emulator);
        var activity = new IssueDockerCertificates(
            new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance), secrets, NullLogger<IssueDockerCertificates>.Instance);
        var input = new IssueDockerCertificatesInput(
            new DockerVmResourceNames("rg-soft", "softhost"), "/subscriptions/s/resourceGroups/rg-soft/providers/Microsoft.Compute/virtualMachines/softhost",
            "softhost.westeurope.cloudapp.azure.com", "127.0.1.78", CertificateKeyAlgorithm.EcdsaP256, IncludeLoopback: false, ValidityDays: 7);
        var earlier = await activity.RunAsync(new TestActivityContext("run-1"), input);

        // Deleted but not purged, as a vault with purge protection leaves it.
        foreach (var name in input.Names.AllSecrets)
        {
            var deletion = await secrets.StartDeleteSecretAsync(name);
            await deletion.WaitForCompletionAsync();
        }

        var again = await activity.RunAsync(new TestActivityContext("run-2"), input);

        Assert.NotEqual(earlier.ClientKey, again.ClientKey);
        var current = (await secrets.GetSecretAsync(input.Names.ClientKeySecret)).Value;
        Assert.Equal("run-2", current.Properties.Tags[WorkflowTags.InstanceId]);
    }

    [Fact]
    public async Task CreateNetworkSecurityGroup_ServerErrorsBeyondSdkRetries_ThrowsTransient()
    {
        fixture.Emulator.Control.ClearFaults();
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/networkSecurityGroups/transient-nsg", Method = "PUT", Kind = FaultKind.InternalServerError, Count = 10 });
        var activity = new CreateNetworkSecurityGroup(EmulatorClients.Arm(fixture.Emulator), EmulatorClients.AzureOptions(fixture.Emulator));

        var ex = await Assert.ThrowsAsync<TransientProvisioningException>(() => activity.RunAsync(
            new TestActivityContext("i"),
            new CreateNetworkSecurityGroupInput("rg-faults", "westeurope", "transient-nsg", ["203.0.113.0/24"], 2376, new Dictionary<string, string>())));

        fixture.Emulator.Control.ClearFaults();
        Assert.False(string.IsNullOrEmpty(ex.ErrorCode));
    }

    [Fact]
    public async Task CreateNetworkSecurityGroup_AuthorizationFailed_ThrowsPermanentWithArmCode()
    {
        fixture.Emulator.Control.ClearFaults();
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/networkSecurityGroups/denied-nsg", Method = "PUT", Kind = FaultKind.AuthorizationFailed });
        var activity = new CreateNetworkSecurityGroup(EmulatorClients.Arm(fixture.Emulator), EmulatorClients.AzureOptions(fixture.Emulator));

        var ex = await Assert.ThrowsAsync<PermanentProvisioningException>(() => activity.RunAsync(
            new TestActivityContext("i"),
            new CreateNetworkSecurityGroupInput("rg-faults", "westeurope", "denied-nsg", ["203.0.113.0/24"], 2376, new Dictionary<string, string>())));

        fixture.Emulator.Control.ClearFaults();
        Assert.Equal("AuthorizationFailed", ex.ErrorCode);
        Assert.StartsWith("[AuthorizationFailed] ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartVirtualMachineCreation_RetriedWhileVmIsCreating_ReportsStartedAgain()
    {
        var emulator = fixture.Emulator;
        emulator.Control.ClearFaults();
        emulator.Control.Durations.VirtualMachine = TimeSpan.FromSeconds(5);
        var services = EmulatorClients.Services(emulator);
        var arm = services.GetRequiredService<global::Azure.ResourceManager.ArmClient>();
        var azure = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DockerVm.Provisioning.Azure.AzureOptions>>();
        var context = new TestActivityContext("instance-vm");
        var tags = WorkflowTags.ForResource(new Dictionary<string, string>(), context.InstanceId);
        var names = new DockerVmResourceNames("rg-retry", "retryhost");
        await EmulatorClients.CreateResourceGroupAsync(arm, azure.Value.SubscriptionId, "rg-retry");
        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(context, new CreateNetworkSecurityGroupInput("rg-retry", "westeurope", names.NetworkSecurityGroup, ["203.0.113.0/24"], 2376, tags));
        var ip = await new CreatePublicIpAddress(arm, azure).RunAsync(context, new CreatePublicIpAddressInput("rg-retry", "westeurope", names.PublicIpAddress, names.DnsLabel, tags));
        var vnet = await new CreateVirtualNetwork(arm, azure).RunAsync(context, new CreateVirtualNetworkInput("rg-retry", "westeurope", names.VirtualNetwork, tags));
        var nic = await new CreateNetworkInterface(arm, azure).RunAsync(context, new CreateNetworkInterfaceInput("rg-retry", "westeurope", names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags));
        var start = new StartVirtualMachineCreation(arm, azure, NullLogger<StartVirtualMachineCreation>.Instance);
        var input = new StartVirtualMachineCreationInput(
            "rg-retry", "westeurope", "retryhost", "Standard_B2s", ProvisionRequestValidator.DefaultImage, "azureuser", TestSpecs.SshKey, nic.ResourceId, names.OsDisk, tags);

        var first = await start.RunAsync(context, input);
        var retried = await start.RunAsync(context, input);
        var check = new GetArmOperationStatus(arm);
        var byOperation = await check.RunAsync(context, first.Operation);
        var byResource = await check.RunAsync(context, retried.Operation);

        emulator.Control.Durations.VirtualMachine = TimeSpan.Zero;

        // The first answer carried the operation's URL; a retry is either accepted again (a new operation) or refused
        // with 409 and then followed through the VM itself. Either way the same VM, creating, not failed.
        Assert.Equal(first.VmResourceId, retried.VmResourceId);
        Assert.Contains("/providers/Microsoft.Compute/locations/westeurope/operations/", first.Operation.StatusUrl, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("InProgress", byOperation.ProvisioningState);
        Assert.False(byResource.IsTerminal, byResource.ProvisioningState);
    }

    private sealed class TestActivityContext(string instanceId) : TaskActivityContext
    {
        public override TaskName Name => "test";

        public override string InstanceId => instanceId;
    }
}
