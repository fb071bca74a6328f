using DockerVm.Provisioning.Configuration;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// When to ask ARM about an operation again. The first check comes when the operation is expected to be done (an
/// earlier answer can only be "in progress"), then a backoff from a quarter of that duration (at least an eighth of
/// <see cref="WorkflowSettings.PollInterval"/>), doubling up to <see cref="WorkflowSettings.PollInterval"/>. ARM's
/// <c>Retry-After</c> ("the number of seconds to wait before checking the status", Track asynchronous Azure
/// operations) is a floor, as Azure.Core's own LRO polling treats it (RetryAfterDelayStrategy: the larger of the
/// header and its fallback delay). Nothing is shorter than the timer resolution the backend honours.
/// </summary>
internal static class PollSchedule
{
    /// <summary>The wait before the first check of an operation started a moment ago.</summary>
    public static TimeSpan FirstWait(TimeSpan expected, TimeSpan? retryAfter, WorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Max(Max(expected, retryAfter ?? TimeSpan.Zero), settings.TimerResolution);
    }

    /// <summary>The wait after the <paramref name="answers"/>-th "in progress" answer (1 for the first).</summary>
    public static TimeSpan NextWait(int answers, TimeSpan expected, TimeSpan? retryAfter, WorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(answers, 1);
        var bound = settings.PollInterval;
        var backoff = Min(Max(expected / 4, bound / 8), bound);
        for (var i = 1; i < answers && backoff < bound; i++)
        {
            backoff = Min(backoff * 2, bound);
        }

        return Max(Max(backoff, retryAfter ?? TimeSpan.Zero), settings.TimerResolution);
    }

    /// <summary>The shortest wait <see cref="NextWait"/> ever gives: bounds the number of checks before a deadline.</summary>
    public static TimeSpan ShortestWait(WorkflowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Max(Max(settings.PollInterval / 8, settings.TimerResolution), TimeSpan.FromMilliseconds(1));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
