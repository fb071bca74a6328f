namespace DockerVm.Provisioning.Callbacks;

/// <summary>Standard Webhooks header names, for the callbacks we sign and the webhooks we verify.</summary>
public static class WebhookHeaders
{
    /// <summary>Stable per event: the same on every retry, so receivers can deduplicate.</summary>
    public const string Id = "webhook-id";

    /// <summary>Unix seconds of this attempt; the signature covers it.</summary>
    public const string Timestamp = "webhook-timestamp";

    public const string Signature = "webhook-signature";
}
