namespace DockerVm.Provisioning.Application;

/// <summary>
/// The record that makes one run the owner of a target Docker host (table <c>Hosts</c>, keyed by instance id). Only a
/// conditional write creates or replaces it, so of any number of concurrent requests exactly one schedules the run,
/// and of any number of concurrent deletions exactly one schedules the deprovisioning.
/// </summary>
public sealed record HostClaim
{
    /// <summary>The owning run; travels in its input as <c>DockerVmSpec.RunId</c>.</summary>
    public required string RunId { get; init; }

    /// <summary><see cref="Requests.RequestFingerprint.Of"/> of the request that started the run.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The hashed idempotency key of that request, or null when it had none.</summary>
    public string? KeyHash { get; init; }

    public required DateTimeOffset ClaimedAt { get; init; }

    /// <summary>The run whose deprovisioning was scheduled (equal to <see cref="RunId"/> once it was), or null.</summary>
    public string? DeprovisionedRunId { get; init; }

    public DateTimeOffset? DeprovisionRequestedAt { get; init; }
}
