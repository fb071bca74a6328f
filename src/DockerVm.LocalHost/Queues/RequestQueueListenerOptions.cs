using System.ComponentModel.DataAnnotations;

namespace DockerVm.LocalHost.Queues;

/// <summary>
/// Queue-trigger behaviour of the local host (section <c>LocalHost:RequestQueue</c>), mirroring the Functions
/// <c>extensions.queues</c> settings in host.json; only the polling ceiling is shorter by default, for a snappy demo.
/// </summary>
public sealed class RequestQueueListenerOptions
{
    public const string SectionName = "LocalHost:RequestQueue";

    /// <summary>Messages fetched and handled in parallel per poll (Functions <c>batchSize</c>).</summary>
    [Range(1, 32)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Deliveries after which a failing message is moved to the poison queue (Functions <c>maxDequeueCount</c>).</summary>
    [Range(1, 100)]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message stays invisible before it is retried (Functions <c>visibilityTimeout</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a message is hidden from other consumers while it is being handled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ProcessingLockTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Ceiling of the idle polling back-off (Functions <c>maxPollingInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);
}
