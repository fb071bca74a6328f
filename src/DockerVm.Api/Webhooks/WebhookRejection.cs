namespace DockerVm.Api.Webhooks;

/// <summary>Why an inbound webhook was refused.</summary>
public enum WebhookRejection
{
    None,
    NotConfigured,
    MissingHeaders,
    InvalidTimestamp,
    StaleTimestamp,
    BadSignature,
    Replayed,
}
