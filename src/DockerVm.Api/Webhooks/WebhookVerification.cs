namespace DockerVm.Api.Webhooks;

/// <summary>
/// Outcome of <see cref="InboundWebhookVerifier.VerifyAsync"/>; when verified, <see cref="Reservation"/> holds the
/// <c>webhook-id</c> until the request is answered (kept on 2xx, released by <see cref="InboundWebhookVerifier.ReleaseAsync"/> otherwise).
/// </summary>
public sealed record WebhookVerification(WebhookRejection Rejection, string? WebhookId, WebhookIdReservation? Reservation = null)
{
    public bool IsVerified => Rejection == WebhookRejection.None;
}
