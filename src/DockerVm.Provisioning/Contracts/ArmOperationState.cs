using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// One check of a long-running ARM operation: what <c>GetArmOperationStatus</c> returns and the orchestrations' wait
/// (<c>ArmPolling</c>) reads.
/// </summary>
/// <param name="ProvisioningState">The operation's status (<c>InProgress</c>, <c>Succeeded</c>, <c>Failed</c>,
/// <c>Canceled</c>) or the resource's provisioningState (<c>Creating</c>, <c>Updating</c>, …).</param>
/// <param name="ErrorCode">On <c>Failed</c>: the operation's error code (e.g. <c>AllocationFailed</c>), if any.</param>
/// <param name="ErrorMessage">On <c>Failed</c>: its message (an extension's stdout/stderr tail), which never holds key
/// material because the install script does not print it.</param>
/// <param name="RetryAfter">The answer's <c>Retry-After</c>: the next check not before that.</param>
public sealed record ArmOperationState(string ProvisioningState, string? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter = null)
{
    [JsonIgnore]
    public bool IsSucceeded => ArmProvisioningStates.IsSucceeded(ProvisioningState);

    [JsonIgnore]
    public bool IsFailed => ArmProvisioningStates.IsFailed(ProvisioningState);

    /// <summary>Succeeded or Failed: nothing more will change without a new request.</summary>
    [JsonIgnore]
    public bool IsTerminal => IsSucceeded || IsFailed;
}
