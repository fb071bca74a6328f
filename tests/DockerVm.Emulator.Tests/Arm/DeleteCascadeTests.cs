using Azure;
using Azure.Core;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Emulator.Tests.Arm;

/// <summary>What a VM delete takes with it (deleteOption) and how an extension waits for a VM still being created.</summary>
public sealed class DeleteCascadeTests
{
    [Fact]
    public async Task DeleteVm_NicDetachDiskDelete_NicKeptReusableAfterReservationDiskGone()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time });
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-cascade");
        var network = await Scenario.NetworkAsync(arm, group, "cas");
        var data = Scenario.VmData(network.NicId, "vm-cascade");
        data.NetworkProfile.NetworkInterfaces[0].DeleteOption = ComputeDeleteOption.Detach;
        var vm = (await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, "vm-cascade", data)).Value;
        var diskId = new ResourceIdentifier(vm.Data.StorageProfile.OSDisk.ManagedDisk.Id.ToString());

        await vm.DeleteAsync(WaitUntil.Completed);

        var nic = await arm.GetGenericResource(network.NicId).GetAsync();
        var disk = await Assert.ThrowsAsync<RequestFailedException>(() => arm.GetGenericResource(diskId).GetAsync());
        Assert.Equal("Succeeded", nic.Value.Data.Properties.ToObjectFromJson<System.Text.Json.Nodes.JsonObject>()!["provisioningState"]!.ToString());
        Assert.Equal(404, disk.Status);

        // The NIC stays reserved for the deleted VM for 180 s (NicReservationTests).
        time.Advance(EmulatorOptions.AzureNicReservation);
        var again = (await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Completed, "vm-again", Scenario.VmData(network.NicId, "vm-again"))).Value;
        Assert.Equal("Succeeded", again.Data.ProvisioningState);
    }

    [Fact]
    public async Task ExtensionPut_WhileVmCreating_CompletesAfterVm()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time, Durations = new LroDurations { VirtualMachine = TimeSpan.FromSeconds(3) } });
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-early-ext");
        var network = await Scenario.NetworkAsync(arm, group, "early");
        await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Started, "vm-early", Scenario.VmData(network.NicId, "vm-early"));
        var vm = arm.GetVirtualMachineResource(VirtualMachineResource.CreateResourceIdentifier(emulator.SubscriptionId, "rg-early-ext", "vm-early"));

        var extensionPut = await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Started, "docker", Scenario.DockerExtension(TestPki.Issue(network.PublicIp)));
        await extensionPut.UpdateStatusAsync();
        var waitingForVm = extensionPut.HasCompleted;
        time.Advance(TimeSpan.FromSeconds(3));
        var extension = (await extensionPut.WaitForCompletionAsync()).Value;
        var vmState = (await vm.GetAsync()).Value.Data.ProvisioningState;

        Assert.False(waitingForVm);
        Assert.Equal("Succeeded", extension.Data.ProvisioningState);
        Assert.Equal("Succeeded", vmState);
    }
}
