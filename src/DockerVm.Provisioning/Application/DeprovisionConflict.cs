namespace DockerVm.Provisioning.Application;

/// <summary>The instance cannot be deprovisioned now (e.g. still provisioning). <paramref name="Reason"/> is for people.</summary>
public sealed record DeprovisionConflict(string InstanceId, string Reason) : DeprovisionOutcome;
