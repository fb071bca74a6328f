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
    // Properties rather than constructor parameters, so an input recorded without them reads Azure's defaults.
    public TimeSpan NetworkReadyTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan ExpectedNetworkDuration { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ExpectedVmDuration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ExpectedExtensionDuration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ExpectedDeletionDuration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan TimerResolution { get; init; } = TimeSpan.FromSeconds(1);

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
            options.VerifyAttempts)
        {
            NetworkReadyTimeout = options.NetworkReadyTimeout,
            ExpectedNetworkDuration = options.ExpectedNetworkDuration,
            ExpectedVmDuration = options.ExpectedVmDuration,
            ExpectedExtensionDuration = options.ExpectedExtensionDuration,
            ExpectedDeletionDuration = options.ExpectedDeletionDuration,
            TimerResolution = options.TimerResolution,
        };
    }
}
