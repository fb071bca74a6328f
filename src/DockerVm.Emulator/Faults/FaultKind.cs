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

    /// <summary>
    /// Not an HTTP fault: on a matching CustomScript extension PUT, the VM's first apt command that needs the dpkg lock
    /// finds it held by unattended-upgrades, as on a just-booted Ubuntu VM. A script that does not wait for the lock
    /// fails like apt and the handler report it (<see cref="DpkgLockHeld"/>); one that waits succeeds.
    /// </summary>
    DpkgLockHeld,
}
