using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

/// <summary>What happened to a callback: of one attempt (the <c>SendCallback</c> activity) or, once the
/// orchestration stops retrying, of the whole delivery.</summary>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Attempts">How many POSTs were made.</param>
/// <param name="LastStatusCode">Last HTTP status, null when no response (connection refused, timeout).</param>
/// <param name="Error">Why delivery failed, null on success. Never contains the signing secret.</param>
public sealed record CallbackDeliveryResult(bool Delivered, int Attempts, int? LastStatusCode, string? Error)
{
    /// <summary>Set on an attempt that failed transiently while more attempts are allowed: how long the orchestration
    /// waits (on a durable timer) before the next one. Null on a final result, and in results recorded before
    /// callbacks were retried by the orchestration, so those replay as final.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TimeSpan? RetryAfter { get; init; }
}
