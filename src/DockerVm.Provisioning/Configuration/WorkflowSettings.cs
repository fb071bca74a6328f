namespace DockerVm.Provisioning.Configuration;

/// <summary>The timing an orchestration runs with. Durable Task creates orchestrators without dependency injection,
/// so the service snapshots it into the orchestration input when it schedules one: recorded in history like the
/// input, a configuration change never alters a running (replaying) instance.</summary>
public sealed record WorkflowSettings(
    TimeSpan VmReadyTimeout,
    TimeSpan ExtensionReadyTimeout,
    TimeSpan ResourceDeletionTimeout,
    TimeSpan PollInterval,
    int TransientRetryAttempts,
    TimeSpan TransientRetryFirstInterval,
    TimeSpan TransientRetryMaxInterval,
    int VerifyAttempts)
{
    public static WorkflowSettings From(ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new WorkflowSettings(
            options.VmReadyTimeout,
            options.ExtensionReadyTimeout,
            options.ResourceDeletionTimeout,
            options.PollInterval,
            options.TransientRetryAttempts,
            options.TransientRetryFirstInterval,
            options.TransientRetryMaxInterval,
            options.VerifyAttempts);
    }
}
