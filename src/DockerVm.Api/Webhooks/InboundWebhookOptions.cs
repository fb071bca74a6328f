using System.ComponentModel.DataAnnotations;

namespace DockerVm.Api.Webhooks;

/// <summary>Inbound webhook settings, section <c>Webhooks</c>; the secrets are checked on start (<see cref="InboundWebhookOptionsValidator"/>).</summary>
public sealed class InboundWebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Standard Webhooks secret (<c>whsec_</c> + base64). Empty means the webhook route refuses every request.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>
    /// The secret being rotated out, accepted beside <see cref="SigningSecret"/> until every sender signs with the new
    /// one. Empty, or equal to <see cref="SigningSecret"/>, when no rotation is under way.
    /// </summary>
    public string? PreviousSigningSecret { get; set; }

    /// <summary>
    /// How far <c>webhook-timestamp</c> may be from now, either way. At most the five minutes the Standard Webhooks
    /// libraries use; an accepted <c>webhook-id</c> is remembered for as long as its timestamp could still pass.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The configured secrets, current first, without blanks and duplicates.</summary>
    internal IReadOnlyList<string> ActiveSecrets() =>
        new[] { SigningSecret, PreviousSigningSecret }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!).Distinct(StringComparer.Ordinal).ToArray();
}
