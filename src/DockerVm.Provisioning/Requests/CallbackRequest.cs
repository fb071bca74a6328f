namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Where to send the signed CloudEvents callback. The signing secret is never part of a request: <see cref="SigningKey"/>
/// names a secret configured on the service, so orchestration inputs never carry it.
/// </summary>
public sealed record CallbackRequest
{
    public Uri? Url { get; init; }

    /// <summary>Signature scheme; only <c>standard-webhooks</c> is supported.</summary>
    public string? Signature { get; init; }

    /// <summary>Name of a configured signing key; null means the service's default key.</summary>
    public string? SigningKey { get; init; }
}
