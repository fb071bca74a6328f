using System.ComponentModel.DataAnnotations;

namespace DockerVm.Api.Webhooks;

/// <summary>Inbound webhook settings, section <c>Webhooks</c>.</summary>
public sealed class InboundWebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Standard Webhooks secret (<c>whsec_</c> + base64). Empty means the webhook route refuses every request.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// How far <c>webhook-timestamp</c> may be from now, either way. The StandardWebhooks library also enforces its own
    /// fixed five minutes, so larger values have no effect.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
