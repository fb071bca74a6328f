namespace DockerVm.Provisioning.Contracts;

/// <summary>What one callback attempt (one <c>SendCallback</c> activity) did. Same JSON shape as
/// <see cref="CallbackDeliveryResult"/>, which that activity returned before callbacks were retried by the
/// orchestration, so those recorded results replay as final attempts.</summary>
/// <param name="Delivered">True when the receiver answered 2xx.</param>
/// <param name="Attempts">Attempts made so far, this one included (0 when nothing could be sent).</param>
/// <param name="LastStatusCode">This attempt's HTTP status, null when no response (connection refused, timeout).</param>
/// <param name="Error">Why it failed, null on success. Never contains the signing secret.</param>
/// <param name="RetryAfter">Set when the failure is transient and attempts remain: how long to wait before the next
/// one (the backoff, at least what the receiver's <c>Retry-After</c> asked, capped). Null when this result is final.</param>
public sealed record CallbackAttemptResult(bool Delivered, int Attempts, int? LastStatusCode, string? Error, TimeSpan? RetryAfter = null)
{
    /// <summary>This attempt as the outcome of the whole delivery.</summary>
    public CallbackDeliveryResult ToDelivery() => new(Delivered, Attempts, LastStatusCode, Error);
}
