namespace DockerVm.Api.Webhooks;

/// <summary>
/// Remembers the <c>webhook-id</c>s taken by verified requests, so that a captured request cannot be replayed. It must
/// be shared by every instance of the app: a replay may land on any of them.
/// </summary>
public interface IWebhookReplayStore
{
    /// <summary>
    /// Takes <paramref name="webhookId"/> until <paramref name="expiresAt"/> (after which its timestamp can no longer pass
    /// the window); null when a request holds it already and it has not expired.
    /// </summary>
    Task<WebhookIdReservation?> TryReserveAsync(string webhookId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Gives back an id whose request was not accepted, so that the sender's retry is verified again; false when it was no longer held.</summary>
    Task<bool> ReleaseAsync(WebhookIdReservation reservation, CancellationToken cancellationToken);
}
