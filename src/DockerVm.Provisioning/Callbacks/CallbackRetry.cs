using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>
/// The callback retry loop, free of any host: send an attempt, and while its result asks for another, wait what it
/// says. Orchestrations run it with an activity per attempt and a durable timer per wait (nothing sleeps inside an
/// activity); tests run it with the sender directly and record the waits instead of waiting.
/// </summary>
public static class CallbackRetry
{
    /// <summary>Upper bound of <see cref="CallbackOptions.MaxAttempts"/>; also bounds the loop itself.</summary>
    public const int MaxAttemptsLimit = 20;

    /// <summary>Runs attempts 1, 2, … until one returns a result without <see cref="CallbackAttemptResult.RetryAfter"/>.</summary>
    public static async Task<CallbackDeliveryResult> RunAsync(
        Func<int, Task<CallbackAttemptResult>> sendAttempt, Func<TimeSpan, Task> wait)
    {
        ArgumentNullException.ThrowIfNull(sendAttempt);
        ArgumentNullException.ThrowIfNull(wait);
        CallbackAttemptResult result = new(false, 0, null, "no attempt was made");
        for (var attempt = 1; attempt <= MaxAttemptsLimit; attempt++)
        {
            result = await sendAttempt(attempt);
            if (result.RetryAfter is not { } delay)
            {
                return result.ToDelivery();
            }

            await wait(delay);
        }

        return result.ToDelivery();
    }
}
