using Azure;
using Azure.ResourceManager.Compute;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Compute;

/// <summary>VM size against image: CPU architecture and Hyper-V generation, refused with Compute's 400 BadRequest.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class BootCompatibilityTests(EmulatorFixture fixture)
{
    // New-AzVM with Canonical:ubuntu-24_04-lts:server:latest on Standard_B2pts_v2, as quoted publicly; the "p" in the
    // size's features marks an Arm64 CPU (Azure VM naming conventions; oracle/weblogic-azure#318).
    [Theory]
    [InlineData("Standard_B2pts_v2", "server", "Arm64", "x64")]
    [InlineData("Standard_D2ps_v5", "server", "Arm64", "x64")]
    [InlineData("Standard_D2s_v5", "server-arm64", "x64", "Arm64")]
    public async Task CreateVm_ArchitectureMismatch_BadRequestCpuArchitecture(string size, string sku, string sizeArchitecture, string imageArchitecture)
    {
        var error = await CreateFailsAsync(Name("arch", size, sku), size, sku);

        Assert.Equal(400, error.Status);
        Assert.Equal("BadRequest", error.ErrorCode);
        Assert.StartsWith(
            $"Cannot create a VM of size '{size}' because this VM size only supports a CPU Architecture of '{sizeArchitecture}', but an image or disk with CPU Architecture '{imageArchitecture}' was given.",
            error.Message, StringComparison.Ordinal);
    }

    // microsoft/ga4gh-tes#43 (Standard_D1_v2, Generation 2 image), GoogleCloudPlatform/PerfKitBenchmarker#3741
    // (Standard_D16ps_v5, Generation 1 image); generation-2.md, av2-series.md, dsv6-series.md.
    [Theory]
    [InlineData("Standard_A2_v2", "server", "2")]
    [InlineData("Standard_D2_v3", "server", "2")]
    [InlineData("Standard_D2s_v6", "server-gen1", "1")]
    public async Task CreateVm_GenerationMismatch_BadRequestHypervisorGeneration(string size, string sku, string generation)
    {
        var error = await CreateFailsAsync(Name("gen", size, sku), size, sku);

        Assert.Equal(400, error.Status);
        Assert.Equal("BadRequest", error.ErrorCode);
        Assert.StartsWith($"The selected VM size '{size}' cannot boot Hypervisor Generation '{generation}'.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Standard_D2ps_v5", "server-arm64", "V2")]
    [InlineData("Standard_B2pts_v2", "server-arm64", "V2")]
    [InlineData("Standard_A2_v2", "server-gen1", "V1")]
    [InlineData("Standard_D2s_v6", "server", "V2")]
    public async Task CreateVm_ImageTheSizeBoots_SucceedsWithImageGeneration(string size, string sku, string hyperVGeneration)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-boot-ok");
        var name = Name("boot", size, sku);
        var network = await Scenario.NetworkAsync(arm, group, name);
        var data = Scenario.VmData(network.NicId, name, size);
        data.StorageProfile.ImageReference.Sku = sku;

        var vm = (await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, name, data)).Value;
        var view = (await vm.InstanceViewAsync()).Value;

        Assert.Equal("Succeeded", vm.Data.ProvisioningState);
        Assert.Equal(hyperVGeneration, view.HyperVGeneration?.ToString());
    }

    private static string Name(string prefix, string size, string sku) =>
        $"{prefix}-{size["Standard_".Length..]}-{sku}".ToLowerInvariant().Replace('_', '-');

    private async Task<RequestFailedException> CreateFailsAsync(string name, string size, string sku)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-boot-mismatch");
        var network = await Scenario.NetworkAsync(arm, group, name);
        var data = Scenario.VmData(network.NicId, name, size);
        data.StorageProfile.ImageReference.Sku = sku;
        return await Assert.ThrowsAsync<RequestFailedException>(() => group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, name, data));
    }
}
