using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Arm;

/// <summary>ARM's error codes, as the SDK surfaces them (RequestFailedException.ErrorCode/Status).</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class ArmErrorTests(EmulatorFixture fixture)
{
    private static async Task<RequestFailedException> FailsAsync(Func<Task> action) =>
        await Assert.ThrowsAsync<RequestFailedException>(action);

    [Fact]
    public async Task GetResourceGroup_Missing_ResourceGroupNotFound()
    {
        var subscription = await fixture.Arm().GetDefaultSubscriptionAsync();

        var error = await FailsAsync(() => subscription.GetResourceGroupAsync("rg-does-not-exist"));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceGroupNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task CreateResource_InMissingGroup_ResourceGroupNotFound()
    {
        var arm = fixture.Arm();
        var id = new ResourceIdentifier($"/subscriptions/{fixture.Emulator.SubscriptionId}/resourceGroups/rg-missing/providers/Microsoft.Network/networkSecurityGroups/nsg");

        var error = await FailsAsync(() => Scenario.PutAsync(arm, id, new { securityRules = Array.Empty<object>() }));

        Assert.Equal("ResourceGroupNotFound", error.ErrorCode);
    }

    [Theory]
    [InlineData("Standard_Imaginary_v9", "vmSize")]
    [InlineData("Standard_B2s", "imageReference")]
    public async Task CreateVm_InvalidSizeOrImage_InvalidParameter(string size, string target)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, $"rg-invalid-{target}");
        var network = await Scenario.NetworkAsync(arm, group, "inv");
        var data = Scenario.VmData(network.NicId, "vm1", size);
        if (target == "imageReference")
        {
            data.StorageProfile.ImageReference.Sku = "no-such-sku";
        }

        var error = await FailsAsync(() => group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, "vm1", data));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateVm_HostNameWithSpecialCharacters_InvalidParameter()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-invalid-name");
        var network = await Scenario.NetworkAsync(arm, group, "name");

        var error = await FailsAsync(() => group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, "vm1", Scenario.VmData(network.NicId, "bad_host!name")));

        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Contains("Linux host name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateVm_AdminPasswordInRequest_NeverReturned()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-password");
        var network = await Scenario.NetworkAsync(arm, group, "pw");
        var data = Scenario.VmData(network.NicId, "vm-pw");
        data.OSProfile.AdminPassword = "Sup3r-Secret!";

        var vm = (await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, "vm-pw", data)).Value;

        Assert.Null(vm.Data.OSProfile.AdminPassword);
        Assert.Equal("Succeeded", vm.Data.ProvisioningState);
    }

    [Fact]
    public async Task DeleteNic_AttachedToVm_ConflictNicInUse()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-nic-in-use");
        var network = await Scenario.NetworkAsync(arm, group, "use");
        await Scenario.VmAsync(group, "vm-holder", network.NicId);

        var error = await FailsAsync(() => arm.GetGenericResource(network.NicId).DeleteAsync(WaitUntil.Completed));

        Assert.Equal(409, error.Status);
        Assert.Equal("NicInUse", error.ErrorCode);
    }

    [Fact]
    public async Task DeletePublicIp_AttachedToNic_Conflict()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-ip-in-use");
        var network = await Scenario.NetworkAsync(arm, group, "ipuse");

        var error = await FailsAsync(() => arm.GetGenericResource(network.PublicIpId).DeleteAsync(WaitUntil.Completed));

        Assert.Equal(409, error.Status);
        Assert.Equal("PublicIPAddressCannotBeDeleted", error.ErrorCode);
    }

    [Fact]
    public async Task CreateNic_SubnetDoesNotExist_InvalidResourceReference()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-bad-ref");
        var nic = Scenario.Id(group, "Microsoft.Network/networkInterfaces", "nic");

        var error = await FailsAsync(() => Scenario.PutAsync(arm, nic, new
        {
            ipConfigurations = new[] { new { name = "ipconfig1", properties = new { subnet = new { id = $"{group.Id}/providers/Microsoft.Network/virtualNetworks/nope/subnets/default" } } } },
        }));

        Assert.Equal("InvalidResourceReference", error.ErrorCode);
    }

    [Fact]
    public async Task CreateNsg_TwoRulesWithSamePriority_SecurityRuleConflict()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-nsg-rules");
        var rule = new { protocol = "Tcp", access = "Allow", direction = "Inbound", priority = 100, sourceAddressPrefix = "10.0.0.0/8", sourcePortRange = "*", destinationAddressPrefix = "*", destinationPortRange = "22" };

        var conflict = await FailsAsync(() => Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "nsg1"), new
        {
            securityRules = new[] { new { name = "a", properties = rule }, new { name = "b", properties = rule } },
        }));
        var badPort = await FailsAsync(() => Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "nsg2"), new
        {
            securityRules = new[] { new { name = "a", properties = rule with { destinationPortRange = "70000" } } },
        }));

        Assert.Equal("SecurityRuleConflict", conflict.ErrorCode);
        Assert.Equal("SecurityRuleInvalidPortRange", badPort.ErrorCode);
    }

    [Fact]
    public async Task CreatePublicIp_DnsLabelAlreadyUsed_DnsRecordInUse()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-dns");
        var properties = new { publicIPAllocationMethod = "Static", dnsSettings = new { domainNameLabel = "same-label-dns" } };
        await Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/publicIPAddresses", "ip1"), properties, "Standard");

        var error = await FailsAsync(() => Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/publicIPAddresses", "ip2"), properties, "Standard"));

        Assert.Equal("DnsRecordInUse", error.ErrorCode);
    }

    [Fact]
    public async Task GenericGet_UnknownApiVersion_NoRegisteredProviderFound()
    {
        var options = AzureClients.ArmOptions(fixture.Emulator);
        options.SetApiVersion(new ResourceType("Microsoft.Network/networkSecurityGroups"), "2099-01-01");
        var arm = fixture.Arm(options);
        var group = await Scenario.GroupAsync(fixture.Arm(), "rg-api-version");

        var error = await FailsAsync(() => arm.GetGenericResource(Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "nsg")).GetAsync());

        Assert.Equal(400, error.Status);
        Assert.Equal("NoRegisteredProviderFound", error.ErrorCode);
    }

    [Fact]
    public async Task GenericVm_OlderComputeApiVersion_Accepted()
    {
        var options = AzureClients.ArmOptions(fixture.Emulator);
        options.SetApiVersion(new ResourceType("Microsoft.Compute/virtualMachines"), "2022-08-01");
        var arm = fixture.Arm(options);
        var group = await Scenario.GroupAsync(arm, "rg-old-api");
        var network = await Scenario.NetworkAsync(arm, group, "old");
        await Scenario.VmAsync(group, "vm-old", network.NicId);

        var vm = await arm.GetGenericResource(Scenario.Id(group, "Microsoft.Compute/virtualMachines", "vm-old")).GetAsync();

        Assert.Equal("Microsoft.Compute/virtualMachines", vm.Value.Data.ResourceType.ToString());
    }

    [Fact]
    public async Task ProviderMetadata_WithoutSetApiVersion_GenericClientResolvesVersion()
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(fixture.Emulator.ArmEndpoint, fixture.Emulator.ArmAudience),
            Transport = PinnedTransport.For(fixture.Emulator.Certificate),
        };
        var arm = fixture.Arm(options);
        var group = await Scenario.GroupAsync(arm, "rg-provider");

        var nsg = await Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "nsg"), new { securityRules = Array.Empty<object>() });

        Assert.Equal("nsg", nsg.Data.Name);
        Assert.True(fixture.Emulator.Control.OperationCounters.ContainsKey("GET Microsoft.Network"));
    }

    [Fact]
    public async Task ListVirtualMachines_ByGroup_ReturnsCreatedVmsAndDeleteGroupCascades()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-list");
        for (var i = 0; i < 3; i++)
        {
            var network = await Scenario.NetworkAsync(arm, group, $"l{i}");
            await Scenario.VmAsync(group, $"vm-{i}", network.NicId);
        }

        var names = new List<string>();
        await foreach (var vm in group.GetVirtualMachines().GetAllAsync())
        {
            names.Add(vm.Data.Name);
        }

        await group.DeleteAsync(WaitUntil.Completed);

        Assert.Equal(["vm-0", "vm-1", "vm-2"], names.Order());
        var subscription = await arm.GetDefaultSubscriptionAsync();
        Assert.False((await subscription.GetResourceGroups().ExistsAsync("rg-list")).Value);
    }

    [Fact]
    public async Task Extension_KeyDoesNotMatchCertificate_FailsWithVmExtensionProvisioningError()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-bad-material");
        var network = await Scenario.NetworkAsync(arm, group, "bad");
        var vm = await Scenario.VmAsync(group, "vm-bad", network.NicId);
        var certificates = TestPki.Issue(network.PublicIp);
        var mismatched = certificates with { ServerKeyPem = TestPki.Issue(network.PublicIp).ServerKeyPem };

        var error = await FailsAsync(() => vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(mismatched)));
        var extension = (await vm.GetVirtualMachineExtensionAsync("docker", expand: "instanceView")).Value;

        Assert.Equal("VMExtensionProvisioningError", error.ErrorCode);
        Assert.Contains("private key does not match public key", error.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", extension.Data.ProvisioningState);
        Assert.Contains(extension.Data.InstanceView.Statuses, s => s.Code == "ProvisioningState/failed");
    }

    [Fact]
    public async Task Extension_ServerCertificateFromAnotherCa_Fails()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-foreign-ca");
        var network = await Scenario.NetworkAsync(arm, group, "fca");
        var vm = await Scenario.VmAsync(group, "vm-fca", network.NicId);
        var certificates = TestPki.Issue(network.PublicIp) with { CaPem = TestPki.Issue(network.PublicIp).CaPem };

        var error = await FailsAsync(() => vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "install", Scenario.CustomScript(Scenario.InstallScript(certificates, 2376), gzip: false)));

        Assert.Equal("VMExtensionProvisioningError", error.ErrorCode);
        Assert.Contains("certificate signed by unknown authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extension_UnknownHandler_ArtifactNotFound()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-unknown-ext");
        var network = await Scenario.NetworkAsync(arm, group, "ux");
        var vm = await Scenario.VmAsync(group, "vm-ux", network.NicId);
        var data = Scenario.DockerExtension(TestPki.Issue(network.PublicIp));
        data.TypeHandlerVersion = "3.0";

        var error = await FailsAsync(() => vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", data));

        Assert.Equal("ArtifactNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task ResourceGroup_CreateTwice_SecondIsUpdateWithSameId()
    {
        var arm = fixture.Arm();
        var subscription = await arm.GetDefaultSubscriptionAsync();
        var data = new ResourceGroupData(Scenario.Location) { Tags = { ["owner"] = "tests" } };

        var first = (await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, "rg-twice", data)).Value;
        var second = (await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, "rg-twice", data)).Value;

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("tests", second.Data.Tags["owner"]);
    }
}
