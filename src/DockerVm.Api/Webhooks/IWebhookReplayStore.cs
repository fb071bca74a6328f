namespace DockerVm.Api.Webhooks;

/// <summary>Remembers the <c>webhook-id</c>s already accepted, so that a captured request cannot be replayed.</summary>
public interface IWebhookReplayStore
{
    /// <summary>Records <paramref name="webhookId"/> for <paramref name="timeToLive"/>; false when it was already recorded.</summary>
    Task<bool> TryRememberAsync(string webhookId, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Forgets an id whose request could not be processed, so that the sender's retry is accepted.</summary>
    Task ForgetAsync(string webhookId, CancellationToken cancellationToken);
}
