namespace DockerVm.Provisioning.Application;

/// <summary>What became of a deprovisioning request.</summary>
public abstract record DeprovisionOutcome;
