namespace DockerVm.Provisioning.Application;

/// <summary>No provisioning instance with that id.</summary>
public sealed record DeprovisionNotFound(string InstanceId) : DeprovisionOutcome;
