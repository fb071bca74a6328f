using System.ComponentModel.DataAnnotations;

namespace DockerVm.LocalHost.DurableTask;

/// <summary>
/// Tuning of the local Durable Task runtime (section <c>LocalHost:DurableTask</c>). The defaults favour latency on a
/// developer machine: short queue polling, generous concurrency, and short visibility timeouts, so that the work a
/// crashed host had taken is delivered again within seconds instead of the provider's 5 minutes (the locks of work in
/// progress are renewed meanwhile, see <see cref="SidecarCompatibleOrchestrationService"/>).
/// </summary>
public sealed class LocalDurableTaskOptions : IValidatableObject
{
    public const string SectionName = "LocalHost:DurableTask";

    /// <summary>Loopback port of the in-process gRPC sidecar; 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int SidecarPort { get; set; }

    /// <summary>Upper bound of the idle back-off of queue polling; Azure Storage's default (30 s) makes a quiet hub slow to react.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a dequeued activity stays invisible to other workers unless its lock is renewed; after a crash, how long
    /// until a running activity is delivered again. The provider's default (and Azure's) is 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a dequeued orchestration message stays invisible unless renewed; after a crash, how long until it is
    /// processed again. The provider's default (and Azure's) is 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running activity's lock is renewed; null means a third of <see cref="WorkItemVisibilityTimeout"/>.</summary>
    public TimeSpan? ActivityLockRenewalInterval { get; set; }

    /// <summary>How often the messages of a running orchestrator are renewed; null means a third of <see cref="ControlQueueVisibilityTimeout"/>.</summary>
    public TimeSpan? OrchestrationLockRenewalInterval { get; set; }

    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    /// <summary>A third: two renewals may fail (a slow storage call, a busy machine) before the lock is lost.</summary>
    public TimeSpan EffectiveLockRenewalInterval => ActivityLockRenewalInterval ?? WorkItemVisibilityTimeout / 3;

    public TimeSpan EffectiveOrchestrationLockRenewalInterval => OrchestrationLockRenewalInterval ?? ControlQueueVisibilityTimeout / 3;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EffectiveLockRenewalInterval <= TimeSpan.Zero || EffectiveLockRenewalInterval >= WorkItemVisibilityTimeout)
        {
            yield return new ValidationResult(
                $"{nameof(ActivityLockRenewalInterval)} must be positive and shorter than {nameof(WorkItemVisibilityTimeout)}, or the lock of a running activity expires.",
                [nameof(ActivityLockRenewalInterval)]);
        }

        if (EffectiveOrchestrationLockRenewalInterval <= TimeSpan.Zero || EffectiveOrchestrationLockRenewalInterval >= ControlQueueVisibilityTimeout)
        {
            yield return new ValidationResult(
                $"{nameof(OrchestrationLockRenewalInterval)} must be positive and shorter than {nameof(ControlQueueVisibilityTimeout)}, or a running orchestrator's messages are delivered again.",
                [nameof(OrchestrationLockRenewalInterval)]);
        }
    }
}
