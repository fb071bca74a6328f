using System.Text.Json.Serialization;

namespace DockerVm.Emulator.Faults;

/// <summary>What an injected fault does to a matching request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>429 with Retry-After (ARM/Key Vault throttling).</summary>
    TooManyRequests,

    /// <summary>500 InternalServerError.</summary>
    InternalServerError,

    /// <summary>503 ServiceUnavailable with Retry-After.</summary>
    ServiceUnavailable,

    /// <summary>The connection is aborted without a response.</summary>
    ConnectionDrop,

    /// <summary>The request is accepted, but its long-running operation ends Failed with <see cref="FaultRule.ErrorCode"/>.</summary>
    OperationFailed,

    /// <summary>403 AuthorizationFailed (the identity lacks a role assignment).</summary>
    AuthorizationFailed,
}

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

/// <summary>Adds a delay to requests whose path matches <see cref="PathPattern"/> (same glob as faults).</summary>
public sealed record LatencyRule
{
    public required string PathPattern { get; init; }

    public string? Method { get; init; }

    public required TimeSpan Delay { get; init; }
}
