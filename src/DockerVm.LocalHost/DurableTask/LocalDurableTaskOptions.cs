using System.ComponentModel.DataAnnotations;

namespace DockerVm.LocalHost.DurableTask;

/// <summary>
/// Tuning of the local Durable Task runtime (section <c>LocalHost:DurableTask</c>). The defaults favour latency on a
/// developer machine: short queue polling, generous concurrency.
/// </summary>
public sealed class LocalDurableTaskOptions
{
    public const string SectionName = "LocalHost:DurableTask";

    /// <summary>Loopback port of the in-process gRPC sidecar; 0 picks a free port.</summary>
    [Range(0, 65535)]
    public int SidecarPort { get; set; }

    /// <summary>Upper bound of the idle back-off of queue polling; Azure Storage's default (30 s) makes a quiet hub slow to react.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a dequeued activity stays invisible to other workers before its lock must be renewed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a dequeued orchestration message stays invisible; after a crash, how long until it is processed again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a running activity's lock is renewed; null means half of <see cref="WorkItemVisibilityTimeout"/>.</summary>
    public TimeSpan? ActivityLockRenewalInterval { get; set; }

    [Range(1, 1000)]
    public int MaxConcurrentActivities { get; set; } = 100;

    [Range(1, 1000)]
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    [Range(1, 16)]
    public int PartitionCount { get; set; } = 4;

    public TimeSpan EffectiveLockRenewalInterval => ActivityLockRenewalInterval ?? WorkItemVisibilityTimeout / 2;
}
