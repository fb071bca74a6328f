using Azure;
using Azure.Core;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Arm;

/// <summary>Microsoft.Compute/disks is served by DiskRP, whose api-versions (2023-04-02, 2023-10-02, ...) are not
/// ComputeRP's: ARM refuses a ComputeRP version for a disk (specification/compute/.../DiskRP/stable has no 2023-07-01).</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class DiskApiVersionTests(EmulatorFixture fixture)
{
    [Theory]
    [InlineData("2023-07-01", 400)]
    [InlineData("2023-03-01", 400)]
    [InlineData("2023-04-02", 200)]
    [InlineData("2023-10-02", 200)]
    public async Task GenericDiskGet_ApiVersion_OnlyDiskRpVersionsAccepted(string version, int status)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-disk-versions");
        var network = await Scenario.NetworkAsync(arm, group, $"disk-{version}");
        var vm = await Scenario.VmAsync(group, $"disk-{version}", network.NicId);
        var options = AzureClients.ArmOptions(fixture.Emulator);
        options.SetApiVersion(new ResourceType("Microsoft.Compute/disks"), version);
        var diskId = new ResourceIdentifier(vm.Data.StorageProfile.OSDisk.ManagedDisk.Id.ToString());

        var answer = 200;
        try
        {
            await fixture.Arm(options).GetGenericResource(diskId).GetAsync();
        }
        catch (RequestFailedException ex)
        {
            answer = ex.Status;
            Assert.Equal("NoRegisteredProviderFound", ex.ErrorCode);
        }

        Assert.Equal(status, answer);
    }
}
