namespace DockerVm.Provisioning.Contracts;

public enum DockerHostEventType
{
    Provisioned,
    Failed,
    Deprovisioned,
}
