namespace DockerVm.Provisioning.Callbacks;

public sealed record DockerHostEventError(string? Code, string? Message);
