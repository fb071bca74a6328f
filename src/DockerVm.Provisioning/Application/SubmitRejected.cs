using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Application;

/// <summary>Nothing was scheduled, and repeating the request unchanged will not change that. <paramref name="Reason"/>
/// is a stable id (<c>validation-failed</c>, <c>malformed-json</c>, <c>conflict</c>, <c>idempotency-key-reused</c>);
/// <paramref name="Errors"/> names every violated rule and its field.</summary>
public sealed record SubmitRejected(string Reason, IReadOnlyList<ValidationError> Errors) : SubmitOutcome
{
    public const string ValidationFailed = "validation-failed";
    public const string MalformedJson = "malformed-json";

    /// <summary>The target host is owned by a live or succeeded run of a different request (or is being deprovisioned).</summary>
    public const string Conflict = "conflict";

    /// <summary>The idempotency key was first used for a different request.</summary>
    public const string IdempotencyKeyReused = "idempotency-key-reused";

    /// <summary>For <see cref="Conflict"/> and <see cref="IdempotencyKeyReused"/>: the instance that owns the host or the key.</summary>
    public string? ExistingInstanceId { get; init; }
}
