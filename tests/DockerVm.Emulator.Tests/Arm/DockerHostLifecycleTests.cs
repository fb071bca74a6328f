using System.Net;
using System.Text.Json.Nodes;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Arm;

/// <summary>The product's whole path through the real SDKs: network, VM, Docker extension, mTLS check, delete.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class DockerHostLifecycleTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task CreateVmWithDockerExtension_ThroughSdk_DaemonAnswersOverMutualTls()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-lifecycle-docker");
        var network = await Scenario.NetworkAsync(arm, group, "dock");
        var certificates = TestPki.Issue(network.PublicIp, network.Fqdn);

        var vm = await Scenario.VmAsync(group, "vm-docker", network.NicId);
        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(certificates))).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
        Assert.Null(extension.Data.ProtectedSettings);
        Assert.True(System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(network.PublicIp)));
        Assert.EndsWith(".westeurope.cloudapp.azure.com", network.Fqdn, StringComparison.Ordinal);

        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate());
        Assert.Equal("OK", await docker.GetStringAsync(new Uri("_ping", UriKind.Relative)));
        var version = JsonNode.Parse(await docker.GetStringAsync(new Uri("v1.47/version", UriKind.Relative)))!;
        Assert.Equal("linux", (string?)version["Os"]);

        var listed = new List<string>();
        await foreach (var item in vm.GetVirtualMachineExtensions().GetAllAsync())
        {
            listed.Add(item.Data.Name);
        }

        Assert.Equal(["docker"], listed);
        var withView = (await vm.GetAsync(InstanceViewType.InstanceView)).Value;
        Assert.Contains(withView.Data.InstanceView.Statuses, s => s.Code == "PowerState/running");
        Assert.Contains(withView.Data.InstanceView.Extensions, e => e.Name == "docker");

        await vm.DeleteAsync(WaitUntil.Completed);

        var exception = await Assert.ThrowsAsync<RequestFailedException>(() => group.GetVirtualMachineAsync("vm-docker"));
        Assert.Equal(404, exception.Status);
        Assert.Equal("ResourceNotFound", exception.ErrorCode);
        await DockerProbe.AssertRefusedAsync(docker);
        var nic = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(network.NicId).GetAsync());
        Assert.Equal((int)HttpStatusCode.NotFound, nic.Status);

        await group.DeleteAsync(WaitUntil.Completed);
    }

    [Fact]
    public async Task CreateVmWithCustomScript_GzippedHeredocScript_DaemonListensOnScriptPort()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-lifecycle-cse");
        var network = await Scenario.NetworkAsync(arm, group, "cse", 2377);
        var certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
        var vm = await Scenario.VmAsync(group, "vm-cse", network.NicId);

        var script = Scenario.InstallScript(certificates, 2377);
        var extension = (await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "install-docker", Scenario.CustomScript(script, gzip: true))).Value;

        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
        using var docker = DockerProbe.Client(network.PublicIp, 2377, certificates.Authority(), certificates.ClientCertificate());
        Assert.Equal("[]\n", await docker.GetStringAsync(new Uri("v1.45/containers/json", UriKind.Relative)));

        await extension.DeleteAsync(WaitUntil.Completed);
        await DockerProbe.AssertRefusedAsync(docker);
        await group.DeleteAsync(WaitUntil.Completed);
    }
}
