namespace DockerVm.Api.Webhooks;

/// <summary>A <c>webhook-id</c> held by one request: <paramref name="Key"/> and <paramref name="ETag"/> name the stored row, so that only its holder releases it.</summary>
public sealed record WebhookIdReservation(string WebhookId, string Key, string ETag);
