using System.Collections.Concurrent;
using DockerVm.LocalHost.DurableTask;
using DurableTask.Core;

namespace DockerVm.Benchmarks;

/// <summary>
/// Counts, per orchestration instance, what the backend is asked to store at the end of each episode: the episode
/// itself (every episode replays the instance's whole history), the durable timers and the activities it scheduled.
/// Provider-neutral: it sits between the sidecar and the orchestration service.
/// </summary>
internal sealed class EpisodeCounter(IOrchestrationService inner) : DelegatingOrchestrationService(inner)
{
    private readonly ConcurrentDictionary<string, InstanceCounts> counts = new(StringComparer.Ordinal);

    public InstanceCounts For(string instanceId) => counts.GetOrAdd(instanceId, _ => new InstanceCounts());

    public override Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage? continuedAsNewMessage,
        OrchestrationState? orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        var instance = For(workItem.InstanceId);
        Interlocked.Increment(ref instance.Episodes);
        Interlocked.Add(ref instance.Timers, timerMessages?.Count ?? 0);
        Interlocked.Add(ref instance.ActivitiesScheduled, outboundMessages?.Count ?? 0);
        return base.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages!, orchestratorMessages, timerMessages!, continuedAsNewMessage, orchestrationState);
    }
}

/// <summary>Running totals of one instance (fields, for <see cref="Interlocked"/>).</summary>
internal sealed class InstanceCounts
{
    public long Episodes;
    public long Timers;
    public long ActivitiesScheduled;
}
