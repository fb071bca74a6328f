using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;

namespace DockerVm.Provisioning.Tests.Orchestrations;

public sealed class ResourceCleanupTests
{
    // A NIC cannot go while its VM exists (NicInUse), NSG, public IP and VNet not while the NIC holds them.
    [Fact]
    public void Stages_ResourcesOfOneHost_VmThenNicThenTheRestTogether()
    {
        var ids = new DockerVmResourceNames("rg", "host").AllResourceIds("00000000-0000-0000-0000-000000000001");

        var stages = ResourceCleanup.Stages(ids);

        Assert.Equal(3, stages.Count);
        Assert.EndsWith("/virtualMachines/host", Assert.Single(stages[0]), StringComparison.Ordinal);
        Assert.EndsWith("/networkInterfaces/host-nic", Assert.Single(stages[1]), StringComparison.Ordinal);
        Assert.Equal(["host-nsg", "host-ip", "host-vnet"], stages[2].Select(id => id.Split('/')[^1]));
    }

    [Fact]
    public void Stages_NetworkOnly_OneStage()
    {
        var ids = new DockerVmResourceNames("rg", "host").AllResourceIds("00000000-0000-0000-0000-000000000001").Take(3).ToList();

        Assert.Equal([ids], ResourceCleanup.Stages(ids));
    }
}
