namespace DockerVm.Provisioning.Contracts;

/// <summary>ARM <c>provisioningState</c> values that end a long-running operation.</summary>
public static class ArmProvisioningStates
{
    public const string Succeeded = nameof(Succeeded);
    public const string Failed = nameof(Failed);
    public const string Canceled = nameof(Canceled);

    public static bool IsSucceeded(string? state) => string.Equals(state, Succeeded, StringComparison.OrdinalIgnoreCase);

    /// <summary>Failed or Canceled: the operation is over without success.</summary>
    public static bool IsFailed(string? state) =>
        string.Equals(state, Failed, StringComparison.OrdinalIgnoreCase) || string.Equals(state, Canceled, StringComparison.OrdinalIgnoreCase);
}
