using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// Durable timers that never fire early. A timer is due <c>CurrentUtcDateTime + wait</c>, the episode's start; the Azure
/// Storage provider sends it a moment later as a queue message hidden for <c>FireAt − now</c> (DurableTask.AzureStorage,
/// TaskHubQueue <c>GetVisibilityDelay</c>), which the queue client truncates to whole seconds (Azure.Storage.Queues,
/// QueueClient <c>SendMessage</c>: <c>(int?)visibilityTimeout?.TotalSeconds</c>). So it may become visible up to a second
/// before <c>FireAt</c>, and a timer a second ahead fired at once: with a 1 s poll interval the workflow polled as fast
/// as the backend replayed. Set one resolution past due, the truncation cannot bring it before due; the next episode's
/// time is checked too, for any provider that fires early anyway (a clock step, say).
/// </summary>
internal static class WorkflowTimers
{
    /// <summary>Early firings tolerated before giving up on the guard (each costs one episode, no activity).</summary>
    private const int MaxEarlyFirings = 3;

    /// <summary>Waits at least <paramref name="wait"/> (and at least <paramref name="resolution"/>) of orchestration time.</summary>
    public static async Task DelayAsync(TaskOrchestrationContext context, TimeSpan wait, TimeSpan resolution)
    {
        ArgumentNullException.ThrowIfNull(context);
        var due = context.CurrentUtcDateTime + (wait > resolution ? wait : resolution);
        for (var firing = 0; firing < MaxEarlyFirings && context.CurrentUtcDateTime < due; firing++)
        {
            await context.CreateTimer(due + resolution, CancellationToken.None);
        }
    }
}
