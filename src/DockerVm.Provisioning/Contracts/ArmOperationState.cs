using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// One poll of a long-running ARM operation (a VM or an extension being created): what both poll activities return
/// and what <c>WaitForProvisioningAsync</c> in the orchestrations reads.
/// </summary>
/// <param name="ProvisioningState">ARM provisioningState (<c>Creating</c>, <c>Updating</c>, <c>Succeeded</c>, <c>Failed</c>, …).</param>
/// <param name="ErrorCode">On <c>Failed</c>: the reason from the instance view (e.g. <c>AllocationFailed</c>), if any.</param>
/// <param name="ErrorMessage">On <c>Failed</c>: the status message (an extension's stderr tail), which never holds key
/// material because the install script does not print it.</param>
public sealed record ArmOperationState(string ProvisioningState, string? ErrorCode, string? ErrorMessage)
{
    [JsonIgnore]
    public bool IsSucceeded => ArmProvisioningStates.IsSucceeded(ProvisioningState);

    [JsonIgnore]
    public bool IsFailed => ArmProvisioningStates.IsFailed(ProvisioningState);

    /// <summary>Succeeded or Failed: nothing more will change without a new request.</summary>
    [JsonIgnore]
    public bool IsTerminal => IsSucceeded || IsFailed;
}
