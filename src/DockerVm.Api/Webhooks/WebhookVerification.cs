namespace DockerVm.Api.Webhooks;

/// <summary>Outcome of <see cref="InboundWebhookVerifier.VerifyAsync"/>; <see cref="WebhookId"/> is set when verified.</summary>
public sealed record WebhookVerification(WebhookRejection Rejection, string? WebhookId)
{
    public bool IsVerified => Rejection == WebhookRejection.None;
}
