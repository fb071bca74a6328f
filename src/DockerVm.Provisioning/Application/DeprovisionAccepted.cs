namespace DockerVm.Provisioning.Application;

/// <summary>Deprovisioning is scheduled (or already was: <paramref name="Duplicate"/>).</summary>
public sealed record DeprovisionAccepted(string InstanceId, string DeprovisionInstanceId, bool Duplicate) : DeprovisionOutcome;
