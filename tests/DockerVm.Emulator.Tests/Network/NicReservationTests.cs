using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Emulator.Tests.Network;

/// <summary>
/// Azure keeps a NIC reserved for 180 s after the VM that used it is deleted: a NIC DELETE answers 400
/// NicReservedForAnotherVm (gardenlinux/gardenlinux#4133, microsoft/AzureTRE#4511, cloudfoundry/bosh-azure-cpi-release#366),
/// and so does a VM create that reuses the NIC (taskcluster/taskcluster#7196). Driven with the real SDKs.
/// </summary>
public sealed class NicReservationTests
{
    private const string ReservedText =
        "Nic(s) in request is reserved for another Virtual Machine for 180 seconds. Please provide another nic(s) or retry after 180 seconds. Reserved VM: ";

    [Fact]
    public void EmulatorOptions_Default_ReservesNicsForAzures180Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(180), new EmulatorOptions().NicReservation);
    }

    [Fact]
    public async Task DeleteNic_RightAfterItsVmIsDeleted_400NicReservedForAnotherVmUntil180sPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time });
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-nic-reserved");
        var network = await Scenario.NetworkAsync(arm, group, "res");
        var vm = await CreateVmKeepingNicAsync(group, network, "vm-reserved");
        await vm.DeleteAsync(WaitUntil.Completed);

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(network.NicId).DeleteAsync(WaitUntil.Completed));
        time.Advance(TimeSpan.FromSeconds(179));
        var stillRefused = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(network.NicId).DeleteAsync(WaitUntil.Completed));
        time.Advance(TimeSpan.FromSeconds(1));
        await arm.GetGenericResource(network.NicId).DeleteAsync(WaitUntil.Completed);

        Assert.Equal(400, refused.Status);
        Assert.Equal("NicReservedForAnotherVm", refused.ErrorCode);
        Assert.StartsWith(ReservedText + vm.Id, refused.Message, StringComparison.Ordinal);
        Assert.Equal("NicReservedForAnotherVm", stillRefused.ErrorCode);
        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(network.NicId).GetAsync());
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task CreateOtherVm_WithNicReservedForDeletedVm_400UntilReservationEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time, NicReservation = TimeSpan.FromSeconds(30) });
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-nic-reuse");
        var network = await Scenario.NetworkAsync(arm, group, "reuse");
        var first = await CreateVmKeepingNicAsync(group, network, "vm-first");
        await first.DeleteAsync(WaitUntil.Completed);

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => CreateVmKeepingNicAsync(group, network, "vm-second"));
        time.Advance(TimeSpan.FromSeconds(30));
        var second = await CreateVmKeepingNicAsync(group, network, "vm-second");

        Assert.Equal(400, refused.Status);
        Assert.Equal("NicReservedForAnotherVm", refused.ErrorCode);
        Assert.Contains("Reserved VM: " + first.Id, refused.Message, StringComparison.Ordinal);
        Assert.Equal("Succeeded", second.Data.ProvisioningState);
    }

    [Fact]
    public async Task DeleteVm_NicDeleteOptionDelete_NicGoesWithVmNoReservation()
    {
        await using var emulator = await AzureEmulator.StartAsync();
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-nic-cascade");
        var network = await Scenario.NetworkAsync(arm, group, "casc");
        var vm = await Scenario.VmAsync(group, "vm-cascade", network.NicId);

        await vm.DeleteAsync(WaitUntil.Completed);

        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(network.NicId).GetAsync());
        Assert.Equal(404, gone.Status);
    }

    [Fact]
    public async Task DeleteNic_ReservationTurnedOff_DeletedAtOnce()
    {
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { NicReservation = TimeSpan.Zero });
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-nic-off");
        var network = await Scenario.NetworkAsync(arm, group, "off");
        var vm = await CreateVmKeepingNicAsync(group, network, "vm-off");
        await vm.DeleteAsync(WaitUntil.Completed);

        await arm.GetGenericResource(network.NicId).DeleteAsync(WaitUntil.Completed);

        var gone = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(network.NicId).GetAsync());
        Assert.Equal(404, gone.Status);
    }

    /// <summary>A VM whose NIC stays when it is deleted (deleteOption Detach), as the workflow creates them.</summary>
    private static async Task<VirtualMachineResource> CreateVmKeepingNicAsync(ResourceGroupResource group, Scenario.Network network, string name)
    {
        var data = Scenario.VmData(network.NicId, name);
        data.NetworkProfile.NetworkInterfaces[0].DeleteOption = ComputeDeleteOption.Detach;
        return (await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, name, data)).Value;
    }
}
