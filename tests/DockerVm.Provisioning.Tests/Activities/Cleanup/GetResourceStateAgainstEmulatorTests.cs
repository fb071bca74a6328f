using Azure.ResourceManager;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Tests.Orchestrations;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.Provisioning.Tests.Activities.Cleanup;

/// <summary>The deletion poll against the emulator, with the production client's pinned api-versions.</summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class GetResourceStateAgainstEmulatorTests(EmulatorFixture fixture)
{
    // ARM returns provisioningState under properties (Network spec, PublicIpAddressGet.json), not at the top level.
    [Fact]
    public async Task GetResourceState_NetworkResources_ReportsPropertiesProvisioningState()
    {
        var (services, vm) = await CreateAsync("rg-state", "statehost");
        var poll = new GetResourceState(services.GetRequiredService<ArmClient>());

        var states = new List<string?>();
        foreach (var id in vm.Names.AllResourceIds(fixture.Emulator.SubscriptionId))
        {
            states.Add((await poll.RunAsync(new TestActivityContext("i"), new GetResourceStateInput(id))).ProvisioningState);
        }

        Assert.All(states, s => Assert.Equal("Succeeded", s));
    }

    // Microsoft.Compute/disks is DiskRP: it has no 2023-07-01 (a ComputeRP version), so a pin to it was refused.
    [Fact]
    public async Task GetResourceState_VmOsDisk_ReadWithDiskRpApiVersion()
    {
        var (services, vm) = await CreateAsync("rg-disk-state", "diskhost");
        var diskId = DockerVmResourceNames.ResourceGroupId(fixture.Emulator.SubscriptionId, vm.Names.ResourceGroup)
            .AppendProviderResource("Microsoft.Compute", "disks", vm.Names.OsDisk).ToString();

        var state = await new GetResourceState(services.GetRequiredService<ArmClient>()).RunAsync(new TestActivityContext("i"), new GetResourceStateInput(diskId));

        Assert.True(state.Exists);
        Assert.Equal("Succeeded", state.ProvisioningState);
    }

    private async Task<(IServiceProvider Services, ActivityChain.CreatedVm Vm)> CreateAsync(string group, string name)
    {
        fixture.Emulator.Control.ClearFaults();
        fixture.Emulator.Control.Durations.VirtualMachine = TimeSpan.Zero;
        var services = EmulatorClients.Services(fixture.Emulator);
        return (services, await ActivityChain.CreateVmAsync(services, group, name, $"instance-{name}"));
    }
}
