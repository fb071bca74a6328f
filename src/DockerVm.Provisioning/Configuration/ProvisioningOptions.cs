using System.ComponentModel.DataAnnotations;

namespace DockerVm.Provisioning.Configuration;

/// <summary>Workflow timing and queue settings; section <c>Provisioning</c>.</summary>
public sealed class ProvisioningOptions
{
    public const string SectionName = "Provisioning";

    [Required]
    [RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$")]
    public string RequestQueueName { get; set; } = "docker-vm-requests";

    /// <summary>Poison queue of <see cref="RequestQueueName"/> (the Functions convention).</summary>
    public string PoisonQueueName => RequestQueueName + "-poison";

    /// <summary>How long the VM may take to reach provisioningState Succeeded.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VmReadyTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long the Docker install extension may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ExtensionReadyTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long each network resource (NSG, public IP, VNet, NIC) may take to reach Succeeded.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan NetworkReadyTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long deleting one resource (compensation, deprovisioning) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResourceDeletionTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Longest durable timer between two checks of a long ARM operation: the bound of the backoff that
    /// follows the first check (ARM's Retry-After may ask for longer, and is then honoured).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>When the first check of a network resource's PUT (NSG, public IP, VNet, NIC) is due: nothing is asked
    /// before that, since an answer earlier than the operation can finish is a wasted read.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpectedNetworkDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>When the first check of the VM's creation is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpectedVmDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>When the first check of the Docker installer extension (and the verify-only extension) is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpectedExtensionDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>When the first check of a resource deletion is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ExpectedDeletionDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The shortest delay the Durable Task backend's timers honour, 1 s for the Azure Storage provider (the Durable
    /// Functions default, and the local host's): it turns a timer into a queue message hidden for <c>FireAt − now</c>
    /// counted at send time (DurableTask.AzureStorage, TaskHubQueue <c>GetVisibilityDelay</c>), in whole seconds,
    /// truncated (Azure.Storage.Queues, QueueClient <c>SendMessage</c>: <c>(int?)visibilityTimeout?.TotalSeconds</c>),
    /// so a timer may fire up to this much early. Every wait is at least this long and its timer is set this much later
    /// (<c>WorkflowTimers</c>). Zero for a backend with exact timers (the in-memory test backend).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan TimerResolution { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts of an activity failing transiently (429, 5xx, timeouts), the first included.</summary>
    [Range(1, 20)]
    public int TransientRetryAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubles per retry up to <see cref="TransientRetryMaxInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan TransientRetryFirstInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TransientRetryMaxInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts of the endpoint check: dockerd may still be restarting when the extension reports success.</summary>
    [Range(1, 50)]
    public int VerifyAttempts { get; set; } = 8;
}
