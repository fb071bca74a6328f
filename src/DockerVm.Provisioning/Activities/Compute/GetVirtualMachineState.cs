using System.Text.Json.Serialization;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using DockerVm.Provisioning.Azure;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Compute;

public sealed record GetVirtualMachineStateInput(string VmResourceId);

/// <param name="ProvisioningState">ARM provisioningState (<c>Creating</c>, <c>Succeeded</c>, <c>Failed</c>, …).</param>
/// <param name="ErrorCode">On <c>Failed</c>: the code from the instance view (e.g. <c>AllocationFailed</c>).</param>
public sealed record GetVirtualMachineStateOutput(string ProvisioningState, string? ErrorCode, string? ErrorMessage)
{
    [JsonIgnore]
    public bool IsSucceeded => ArmProvisioningStates.IsSucceeded(ProvisioningState);

    [JsonIgnore]
    public bool IsFailed => ArmProvisioningStates.IsFailed(ProvisioningState);
}

/// <summary>One poll of the VM's provisioningState: a short GET, never a wait.</summary>
public sealed class GetVirtualMachineState(ArmClient arm) : TaskActivity<GetVirtualMachineStateInput, GetVirtualMachineStateOutput>
{
    public override Task<GetVirtualMachineStateOutput> RunAsync(TaskActivityContext context, GetVirtualMachineStateInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var vm = arm.GetVirtualMachineResource(new ResourceIdentifier(input.VmResourceId));
            var state = (await vm.GetAsync()).Value.Data.ProvisioningState ?? "Unknown";
            if (!ArmProvisioningStates.IsFailed(state))
            {
                return new GetVirtualMachineStateOutput(state, null, null);
            }

            // The reason of a failed provisioning (AllocationFailed, OSProvisioningTimedOut, …) is in the instance view.
            try
            {
                var view = (await vm.InstanceViewAsync()).Value;
                var failure = view.Statuses?.FirstOrDefault(s => s.Code?.StartsWith("ProvisioningState/failed", StringComparison.OrdinalIgnoreCase) == true);
                var code = failure?.Code?.Split('/') is [_, _, var reason, ..] ? reason : null;
                return new GetVirtualMachineStateOutput(state, code, failure?.Message ?? failure?.DisplayStatus);
            }
            catch (RequestFailedException)
            {
                return new GetVirtualMachineStateOutput(state, null, null);
            }
        });
}
