using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Application;

/// <summary>What became of a provisioning request (REST body, queue message or webhook payload).</summary>
public abstract record SubmitOutcome;

/// <summary>An orchestration instance exists for the request. <paramref name="Duplicate"/> is true when it already
/// existed (same idempotency key, or same resource group + name) and nothing new was scheduled.</summary>
public sealed record SubmitAccepted(string InstanceId, bool Duplicate) : SubmitOutcome;

/// <summary>Nothing was scheduled. <paramref name="Reason"/> is a stable id (<c>validation-failed</c>,
/// <c>malformed-json</c>); <paramref name="Errors"/> names every violated rule.</summary>
public sealed record SubmitRejected(string Reason, IReadOnlyList<ValidationError> Errors) : SubmitOutcome
{
    public const string ValidationFailed = "validation-failed";
    public const string MalformedJson = "malformed-json";
}

/// <summary>What became of a deprovisioning request.</summary>
public abstract record DeprovisionOutcome;

/// <summary>Deprovisioning is scheduled (or already was: <paramref name="Duplicate"/>).</summary>
public sealed record DeprovisionAccepted(string InstanceId, string DeprovisionInstanceId, bool Duplicate) : DeprovisionOutcome;

/// <summary>No provisioning instance with that id.</summary>
public sealed record DeprovisionNotFound(string InstanceId) : DeprovisionOutcome;

/// <summary>The instance cannot be deprovisioned now (e.g. still provisioning). <paramref name="Reason"/> is for people.</summary>
public sealed record DeprovisionConflict(string InstanceId, string Reason) : DeprovisionOutcome;
