namespace DockerVm.Api.Webhooks;

/// <summary>The stored value of a taken <c>webhook-id</c>: until when it blocks a replay.</summary>
internal sealed record WebhookIdRecord(DateTimeOffset ExpiresAt);
