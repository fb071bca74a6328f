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

    /// <summary>How long deleting one resource (compensation, deprovisioning) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResourceDeletionTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Durable timer between two polls of a long ARM operation.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

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
