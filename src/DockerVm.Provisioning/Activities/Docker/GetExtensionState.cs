using System.Text.Json.Serialization;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using DockerVm.Provisioning.Azure;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Docker;

public sealed record GetExtensionStateInput(string ExtensionResourceId);

/// <param name="ErrorMessage">On failure: the extension's status message (the installer's stderr tail), which never
/// holds key material because the script does not print it.</param>
public sealed record GetExtensionStateOutput(string ProvisioningState, string? ErrorCode, string? ErrorMessage)
{
    [JsonIgnore]
    public bool IsSucceeded => ArmProvisioningStates.IsSucceeded(ProvisioningState);

    [JsonIgnore]
    public bool IsFailed => ArmProvisioningStates.IsFailed(ProvisioningState);
}

/// <summary>One poll of the installer extension's provisioningState (with its instance view for the failure reason).</summary>
public sealed class GetExtensionState(ArmClient arm) : TaskActivity<GetExtensionStateInput, GetExtensionStateOutput>
{
    public override Task<GetExtensionStateOutput> RunAsync(TaskActivityContext context, GetExtensionStateInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var extension = arm.GetVirtualMachineExtensionResource(new ResourceIdentifier(input.ExtensionResourceId));
            var data = (await extension.GetAsync(expand: "instanceView")).Value.Data;
            var state = data.ProvisioningState ?? "Unknown";
            if (!ArmProvisioningStates.IsFailed(state))
            {
                return new GetExtensionStateOutput(state, null, null);
            }

            var status = data.InstanceView?.Statuses?.FirstOrDefault(s => s.Level?.ToString() == "Error")
                ?? data.InstanceView?.Statuses?.FirstOrDefault();
            var message = status?.Message is { Length: > 500 } text ? text[..500] : status?.Message;
            return new GetExtensionStateOutput(state, "VMExtensionProvisioningError", message ?? status?.DisplayStatus);
        });
}
