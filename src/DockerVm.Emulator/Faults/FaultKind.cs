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
