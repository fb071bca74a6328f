using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Compute;

public sealed record GetVirtualMachineStateInput(string VmResourceId);

/// <summary>One poll of the VM's provisioningState: a short GET, never a wait.</summary>
public sealed class GetVirtualMachineState(ArmClient arm) : TaskActivity<GetVirtualMachineStateInput, ArmOperationState>
{
    public override Task<ArmOperationState> RunAsync(TaskActivityContext context, GetVirtualMachineStateInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var vm = arm.GetVirtualMachineResource(new ResourceIdentifier(input.VmResourceId));
            var state = (await vm.GetAsync()).Value.Data.ProvisioningState ?? "Unknown";
            if (!ArmProvisioningStates.IsFailed(state))
            {
                return new ArmOperationState(state, null, null);
            }

            // The reason of a failed provisioning (AllocationFailed, OSProvisioningTimedOut, …) is in the instance view.
            try
            {
                var view = (await vm.InstanceViewAsync()).Value;
                var failure = view.Statuses?.FirstOrDefault(s => s.Code?.StartsWith("ProvisioningState/failed", StringComparison.OrdinalIgnoreCase) == true);
                var code = failure?.Code?.Split('/') is [_, _, var reason, ..] ? reason : null;
                return new ArmOperationState(state, code, failure?.Message ?? failure?.DisplayStatus);
            }
            catch (RequestFailedException)
            {
                return new ArmOperationState(state, null, null);
            }
        });
}
