using System.Net;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Compute/disks at 2023-04-02, from
/// specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable/2023-04-02/disk.json. The workflow never
/// sends a disk request of its own (the OS disk goes with the VM, deleteOption Delete), but pins this version for the
/// type so that a generic read of the OS disk (GetResourceState) uses a version DiskRP has.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class DiskConformanceTests(EmulatorFixture fixture)
{
    // examples/diskExamples/Disk_Get.json: the OS disk the VM created, read at DiskRP's version.
    [Fact]
    public async Task DiskGet_SpecExample_StateOwnerAndSkuPresent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-disk-get");
        var vm = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";
        using (var put = await arm.SendAsync(
            HttpMethod.Put, vm, SpecClient.ComputeApiVersion, VirtualMachineConformanceTests.VmRequest(await arm.NicAsync(group, "spec-disk")).ToJsonString()))
        {
            await arm.PollAsyncOperationAsync(put.Headers.GetValues("Azure-AsyncOperation").Single());
        }

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, $"{group}/providers/Microsoft.Compute/disks/myVMosdisk", SpecClient.DiskApiVersion);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Microsoft.Compute/disks", (string?)body["type"]);
        Assert.Equal("myVMosdisk", (string?)body["name"]);
        Assert.Equal("/" + vm, (string?)body["managedBy"]);
        Assert.Equal("Standard_LRS", (string?)body["sku"]?["name"]);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        Assert.Equal("Linux", (string?)body["properties"]?["osType"]);
        Assert.Equal("FromImage", (string?)body["properties"]?["creationData"]?["createOption"]);
        Assert.NotNull((int?)body["properties"]?["diskSizeGB"]);
    }
}
