namespace DockerVm.Emulator.Faults;

/// <summary>
/// Fails the next <see cref="Count"/> requests whose path matches <see cref="PathPattern"/>
/// (glob, case-insensitive, <c>*</c> matches anything including '/'; e.g. <c>*/virtualMachines/*</c>).
/// </summary>
public sealed record FaultRule
{
    public required string PathPattern { get; init; }

    /// <summary>HTTP method to match (PUT, GET, ...); any when null.</summary>
    public string? Method { get; init; }

    public FaultKind Kind { get; init; } = FaultKind.InternalServerError;

    public int Count { get; init; } = 1;

    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Error code (e.g. AllocationFailed, SkuNotAvailable, OperationNotAllowed, VMExtensionProvisioningError).</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }
}
