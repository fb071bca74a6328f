namespace DockerVm.Provisioning.Application;

/// <summary>
/// An idempotency key's first use (table <c>Keys</c>, keyed by the key's hash): the host and the request body it named.
/// Kept for good, so a key never names two different requests.
/// </summary>
public sealed record KeyBinding
{
    public required string InstanceId { get; init; }

    public required string Fingerprint { get; init; }

    public required DateTimeOffset BoundAt { get; init; }
}
