namespace DockerVm.Provisioning.Application;

/// <summary>An orchestration instance exists for the request. <paramref name="Duplicate"/> is true when it already
/// existed (same idempotency key, or same resource group + name) and nothing new was scheduled.</summary>
public sealed record SubmitAccepted(string InstanceId, bool Duplicate) : SubmitOutcome;
