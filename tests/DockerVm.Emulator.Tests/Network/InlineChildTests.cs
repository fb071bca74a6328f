using Azure;
using Azure.Core;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Network;

/// <summary>Subnets and security rules on their own URLs (how Terraform and the CLI manage them), through generic resources.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class InlineChildTests(EmulatorFixture fixture)
{
    private static readonly string[] AddressSpace = ["10.1.0.0/16"];

    [Fact]
    public async Task SubnetPutAndDelete_OnOwnUrl_UpdatesVirtualNetwork()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-subnet-child");
        var vnet = Scenario.Id(group, "Microsoft.Network/virtualNetworks", "vnet");
        await Scenario.PutAsync(arm, vnet, new { addressSpace = new { addressPrefixes = AddressSpace }, subnets = new[] { new { name = "default", properties = new { addressPrefix = "10.1.0.0/24" } } } });
        var subnetId = new ResourceIdentifier($"{vnet}/subnets/extra");

        await arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, subnetId, new GenericResourceData(Scenario.Location) { Properties = BinaryData.FromObjectAsJson(new { addressPrefix = "10.1.1.0/24" }) });
        var withExtra = await arm.GetGenericResource(vnet).GetAsync();
        var outside = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResources().CreateOrUpdateAsync(
            WaitUntil.Completed, new ResourceIdentifier($"{vnet}/subnets/outside"), new GenericResourceData(Scenario.Location) { Properties = BinaryData.FromObjectAsJson(new { addressPrefix = "10.9.0.0/24" }) }));
        await arm.GetGenericResource(subnetId).DeleteAsync(WaitUntil.Completed);
        var afterDelete = await arm.GetGenericResource(vnet).GetAsync();

        Assert.Contains("\"extra\"", withExtra.Value.Data.Properties.ToString(), StringComparison.Ordinal);
        Assert.Equal("NetcfgSubnetRangeOutsideVnet", outside.ErrorCode);
        Assert.DoesNotContain("\"extra\"", afterDelete.Value.Data.Properties.ToString(), StringComparison.Ordinal);
    }
}
