using Azure.ResourceManager;
using DockerVm.Emulator.Faults;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Tests.Orchestrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Activities.Operations;

/// <summary>
/// Starting and checking ARM operations with the production clients against the emulator, which answers like ARM:
/// 201/202 with <c>Azure-AsyncOperation</c> and <c>Retry-After</c>, then <c>{"status", "error"}</c> documents
/// ("Track asynchronous Azure operations", Microsoft Learn).
/// </summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class GetArmOperationStatusAgainstEmulatorTests(EmulatorFixture fixture)
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    [Fact]
    public async Task CreateNetworkSecurityGroup_AgainstEmulator_KeepsTheAzureAsyncOperationUrlAndRetryAfterOfTheFirstResponse()
    {
        var (arm, azure) = await ClientsAsync("rg-op-nsg");
        fixture.Emulator.Control.Durations.Network = TimeSpan.FromSeconds(30);
        try
        {
            var started = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(
                new TestActivityContext("i"), new CreateNetworkSecurityGroupInput("rg-op-nsg", "westeurope", "op-nsg", ["203.0.113.0/24"], 2376, NoTags));
            var check = await new GetArmOperationStatus(arm).RunAsync(new TestActivityContext("i"), started.Operation);

            Assert.False(started.Operation.Done);
            Assert.Matches(@"^https://127\.0\.0\.1:\d+/subscriptions/[0-9a-f-]+/providers/Microsoft\.Network/locations/westeurope/operations/[^?]+\?api-version=", started.Operation.StatusUrl);
            Assert.Equal(TimeSpan.FromSeconds(1), started.Operation.RetryAfter);
            Assert.Equal("InProgress", check.ProvisioningState);
            Assert.False(check.IsTerminal);
            Assert.Equal(TimeSpan.FromSeconds(1), check.RetryAfter);
        }
        finally
        {
            fixture.Emulator.Control.Durations.Network = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task GetArmOperationStatus_VmAllocationFails_FailedWithTheOperationsArmCode()
    {
        var (services, arm) = Services();
        fixture.Emulator.Control.InjectFault(new FaultRule
        {
            PathPattern = "*/virtualMachines/opfailhost",
            Method = "PUT",
            Kind = FaultKind.OperationFailed,
            ErrorCode = "AllocationFailed",
            ErrorMessage = "Allocation failed. We do not have sufficient capacity.",
        });
        var vm = await ActivityChain.CreateVmAsync(services, "rg-op-fail", "opfailhost", "instance-opfail");

        var state = await new GetArmOperationStatus(arm).RunAsync(new TestActivityContext("i"), vm.VmOperation);

        fixture.Emulator.Control.ClearFaults();
        Assert.True(state.IsFailed, state.ProvisioningState);
        Assert.Equal("AllocationFailed", state.ErrorCode);
        Assert.StartsWith("Allocation failed.", state.ErrorMessage, StringComparison.Ordinal);
    }

    // ARM returns provisioningState under properties (Network spec, PublicIpAddressGet.json), not at the top level; a
    // VM's OS disk is DiskRP's (no 2023-07-01, a ComputeRP version, so a pin to it was refused).
    [Fact]
    public async Task GetArmOperationStatus_KnownOnlyByResource_ReadsEachResourcesProvisioningState()
    {
        var (services, arm) = Services();
        var vm = await ActivityChain.CreateVmAsync(services, "rg-op-state", "statehost", "instance-state");
        var diskId = DockerVmResourceNames.ResourceGroupId(fixture.Emulator.SubscriptionId, vm.Names.ResourceGroup)
            .AppendProviderResource("Microsoft.Compute", "disks", vm.Names.OsDisk).ToString();

        var check = new GetArmOperationStatus(arm);
        var states = new List<string>();
        foreach (var id in vm.Names.AllResourceIds(fixture.Emulator.SubscriptionId).Append(diskId))
        {
            states.Add((await check.RunAsync(new TestActivityContext("i"), ArmOperationHandle.ByResource(id))).ProvisioningState);
        }

        Assert.All(states, s => Assert.Equal("Succeeded", s));
    }

    [Fact]
    public async Task DeleteResource_AgainstEmulator_ReturnsTheDeleteOperationWhichSucceedsOnceTheResourceIsGone()
    {
        var (arm, azure) = await ClientsAsync("rg-op-delete");
        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(
            new TestActivityContext("i"), new CreateNetworkSecurityGroupInput("rg-op-delete", "westeurope", "gone-nsg", ["203.0.113.0/24"], 2376, NoTags));
        var delete = new DeleteResource(arm, NullLogger<DeleteResource>.Instance);

        var started = await delete.RunAsync(new TestActivityContext("i"), new DeleteResourceInput(nsg.ResourceId));
        var check = await new GetArmOperationStatus(arm).RunAsync(new TestActivityContext("i"), started.Operation!);
        var byResource = await new GetArmOperationStatus(arm).RunAsync(new TestActivityContext("i"), ArmOperationHandle.ByResource(nsg.ResourceId, isDelete: true));
        var again = await delete.RunAsync(new TestActivityContext("i"), new DeleteResourceInput(nsg.ResourceId));

        Assert.False(started.AlreadyGone);
        Assert.True(started.Operation!.IsDelete, $"{started}");
        Assert.NotNull(started.Operation.StatusUrl);
        Assert.True(check.IsSucceeded, check.ProvisioningState);
        Assert.True(byResource.IsSucceeded, byResource.ProvisioningState);

        // ARM answers a DELETE of a missing resource 204 (or 404): nothing to wait for either way.
        Assert.True(again.AlreadyGone || again.Operation is { Done: true }, $"{again}");
    }

    // The bearer token goes with the GET: an operation URL is followed only on the ARM endpoint it came from.
    [Fact]
    public async Task GetArmOperationStatus_StatusUrlOffTheArmEndpoint_RefusedWithoutAsking()
    {
        var (_, arm) = Services();
        var foreign = new ArmOperationHandle(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/x", "https://attacker.example/operations/1", null, null, Done: false);

        var ex = await Assert.ThrowsAsync<PermanentProvisioningException>(() => new GetArmOperationStatus(arm).RunAsync(new TestActivityContext("i"), foreign));

        Assert.Equal("UntrustedOperationUrl", ex.ErrorCode);
    }

    private (IServiceProvider Services, ArmClient Arm) Services()
    {
        fixture.Emulator.Control.ClearFaults();
        fixture.Emulator.Control.Durations.VirtualMachine = TimeSpan.Zero;
        var services = EmulatorClients.Services(fixture.Emulator);
        return (services, services.GetRequiredService<ArmClient>());
    }

    private async Task<(ArmClient Arm, IOptions<AzureOptions> Azure)> ClientsAsync(string resourceGroup)
    {
        var (services, arm) = Services();
        var azure = services.GetRequiredService<IOptions<AzureOptions>>();
        await EmulatorClients.CreateResourceGroupAsync(arm, azure.Value.SubscriptionId, resourceGroup);
        return (arm, azure);
    }
}
