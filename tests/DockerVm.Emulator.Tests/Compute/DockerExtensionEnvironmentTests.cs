using Azure;
using Azure.ResourceManager.Compute;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Compute;

/// <summary>DockerExtension's <c>azure-environment</c> as its handler checks it first thing in <c>enable()</c>
/// (Azure/azure-docker-extension op-enable.go: AzureChinaCloud, AzureCloud or "", else "invalid environment name").</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class DockerExtensionEnvironmentTests(EmulatorFixture fixture)
{
    [Theory]
    [InlineData("AzureUSGovernment")]
    [InlineData("azurecloud")]
    [InlineData("AzureGermanCloud")]
    public async Task DockerExtension_OtherEnvironmentName_FailsWithHandlersMessage(string environment)
    {
        var (vm, data) = await ExtensionAsync($"env-bad-{environment.Length}-{environment[0]}".ToLowerInvariant(), environment);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", data));
        var extension = (await vm.GetVirtualMachineExtensionAsync("docker", expand: "instanceView")).Value;

        Assert.Equal("VMExtensionProvisioningError", error.ErrorCode);
        Assert.Contains($"invalid environment name: {environment}", error.Message, StringComparison.Ordinal);
        Assert.Equal("Failed", extension.Data.ProvisioningState);
    }

    [Theory]
    [InlineData("AzureCloud")]
    [InlineData("AzureChinaCloud")]
    [InlineData("")]
    public async Task DockerExtension_AcceptedEnvironmentName_Succeeds(string environment)
    {
        var (vm, data) = await ExtensionAsync($"env-ok-{environment.Length}", environment);

        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", data)).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
    }

    private async Task<(VirtualMachineResource Vm, VirtualMachineExtensionData Data)> ExtensionAsync(string name, string environment)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-docker-env");
        var network = await Scenario.NetworkAsync(arm, group, name);
        var vm = await Scenario.VmAsync(group, name, network.NicId);
        var data = Scenario.DockerExtension(TestPki.Issue(network.PublicIp));
        data.Settings = BinaryData.FromObjectAsJson(new Dictionary<string, object>
        {
            ["docker"] = new { port = "2376" },
            ["azure-environment"] = environment,
        });
        return (vm, data);
    }
}
