using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Docker;

public sealed record GetExtensionStateInput(string ExtensionResourceId);

/// <summary>One poll of the installer extension's provisioningState (with its instance view for the failure reason).</summary>
public sealed class GetExtensionState(ArmClient arm) : TaskActivity<GetExtensionStateInput, ArmOperationState>
{
    public override Task<ArmOperationState> RunAsync(TaskActivityContext context, GetExtensionStateInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var extension = arm.GetVirtualMachineExtensionResource(new ResourceIdentifier(input.ExtensionResourceId));
            var data = (await extension.GetAsync(expand: "instanceView")).Value.Data;
            var state = data.ProvisioningState ?? "Unknown";
            if (!ArmProvisioningStates.IsFailed(state))
            {
                return new ArmOperationState(state, null, null);
            }

            var status = data.InstanceView?.Statuses?.FirstOrDefault(s => s.Level?.ToString() == "Error")
                ?? data.InstanceView?.Statuses?.FirstOrDefault();
            var message = status?.Message is { Length: > 500 } text ? text[..500] : status?.Message;
            return new ArmOperationState(state, "VMExtensionProvisioningError", message ?? status?.DisplayStatus);
        });
}
