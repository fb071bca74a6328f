using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;

namespace DockerVm.LocalHost.DurableTask;

/// <summary>
/// Sits between the in-process gRPC sidecar (<c>TaskHubGrpcServer</c>) and the Azure Storage orchestration service and
/// smooths over three places where the two disagree:
/// <list type="number">
/// <item>the sidecar records sub-orchestration starts as its own subclass of
/// <see cref="SubOrchestrationInstanceCreatedEvent"/>, which Azure Storage writes without an <c>EventType</c>, so the
/// parent's history can never be loaded again: the plain event is stored instead;</item>
/// <item>tags arrive as Google.Protobuf <c>MapField</c>s, whose type name Azure Storage's typed JSON cannot resolve on
/// the way back: they are copied into plain dictionaries;</item>
/// <item>the sidecar never renews activity locks, so an activity running longer than the work-item visibility timeout
/// is delivered again and runs twice: the lock is renewed until the activity completes or is abandoned. The sidecar
/// renews an orchestration's messages only around a continue-as-new, so they are renewed the same way while the
/// orchestrator runs: that is what lets both visibility timeouts be short (a crashed host's work comes back within
/// seconds) without a slow step being delivered twice.</item>
/// </list>
/// Everything else is passed through unchanged.
/// </summary>
internal sealed partial class SidecarCompatibleOrchestrationService(
    IOrchestrationService inner,
    TimeSpan activityLockRenewalInterval,
    TimeSpan orchestrationLockRenewalInterval,
    ILogger<SidecarCompatibleOrchestrationService> logger) : DelegatingOrchestrationService(inner), IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, LockRenewal> renewals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TaskOrchestrationWorkItem, LockRenewal> orchestrationRenewals = new(ReferenceEqualityComparer.Instance);

    public override async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await base.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (workItem is not null)
        {
            var renewal = new LockRenewal(
                () => Inner.RenewTaskOrchestrationWorkItemLockAsync(workItem), "orchestration", workItem.InstanceId, orchestrationLockRenewalInterval, logger);
            if (!orchestrationRenewals.TryAdd(workItem, renewal))
            {
                await renewal.DisposeAsync().ConfigureAwait(false);
            }
        }

        return workItem!;
    }

    public override Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);

        // One renewal at a time per work item: each changes the messages' pop receipts.
        return orchestrationRenewals.TryGetValue(workItem, out var renewal)
            ? renewal.RenewNowAsync()
            : base.RenewTaskOrchestrationWorkItemLockAsync(workItem);
    }

    public override async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);

        await StopRenewingAsync(workItem).ConfigureAwait(false);
        await base.AbandonTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public override async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);

        await StopRenewingAsync(workItem).ConfigureAwait(false);
        await base.ReleaseTaskOrchestrationWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public override async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage? continuedAsNewMessage,
        OrchestrationState? orchestrationState)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(newOrchestrationRuntimeState);

        // A renewal in flight changes the messages' pop receipts: let it finish before the provider deletes them.
        await StopRenewingAsync(workItem).ConfigureAwait(false);
        NormalizeHistory(newOrchestrationRuntimeState);
        if (!ReferenceEquals(workItem.OrchestrationRuntimeState, newOrchestrationRuntimeState) && workItem.OrchestrationRuntimeState is { } current)
        {
            NormalizeHistory(current);
        }

        NormalizeMessages(outboundMessages);
        NormalizeMessages(orchestratorMessages);
        NormalizeMessages(timerMessages);
        if (continuedAsNewMessage is not null)
        {
            continuedAsNewMessage.Event = NormalizeEvent(continuedAsNewMessage.Event);
        }

        if (orchestrationState?.Tags is { } tags)
        {
            orchestrationState.Tags = ToPlainTags(tags);
        }

        await base.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState)
            .ConfigureAwait(false);
    }

    public override async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        var workItem = await base.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken).ConfigureAwait(false);
        if (workItem is not null)
        {
            var renewal = new LockRenewal(
                () => Inner.RenewTaskActivityWorkItemLockAsync(workItem), "activity", workItem.Id, activityLockRenewalInterval, logger);
            if (!renewals.TryAdd(workItem.Id, renewal))
            {
                await renewal.DisposeAsync().ConfigureAwait(false);
            }
        }

        return workItem!;
    }

    public override async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        ArgumentNullException.ThrowIfNull(workItem);

        // A renewal in flight changes the message's pop receipt: wait for it before deleting the message.
        await StopRenewingAsync(workItem).ConfigureAwait(false);
        await base.CompleteTaskActivityWorkItemAsync(workItem, responseMessage).ConfigureAwait(false);
    }

    public override async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        ArgumentNullException.ThrowIfNull(workItem);

        await StopRenewingAsync(workItem).ConfigureAwait(false);
        await base.AbandonTaskActivityWorkItemAsync(workItem).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in renewals.Keys)
        {
            if (renewals.TryRemove(id, out var renewal))
            {
                await renewal.DisposeAsync().ConfigureAwait(false);
            }
        }

        foreach (var workItem in orchestrationRenewals.Keys)
        {
            await StopRenewingAsync(workItem).ConfigureAwait(false);
        }
    }

    /// <summary>Number of activities whose locks are currently being renewed (for tests and diagnostics).</summary>
    internal int ActiveRenewals => renewals.Count;

    /// <summary>Number of orchestration work items whose messages are currently being renewed.</summary>
    internal int ActiveOrchestrationRenewals => orchestrationRenewals.Count;

    private async Task StopRenewingAsync(TaskActivityWorkItem workItem)
    {
        if (renewals.TryRemove(workItem.Id, out var renewal))
        {
            await renewal.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StopRenewingAsync(TaskOrchestrationWorkItem workItem)
    {
        if (orchestrationRenewals.TryRemove(workItem, out var renewal))
        {
            await renewal.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void NormalizeHistory(OrchestrationRuntimeState state)
    {
        // Events and NewEvents share event objects: a replaced event must be the same object in both lists.
        var replaced = new Dictionary<HistoryEvent, HistoryEvent>(ReferenceEqualityComparer.Instance);
        NormalizeEvents(state.Events, replaced);
        NormalizeEvents(state.NewEvents, replaced);
    }

    private static void NormalizeEvents(IList<HistoryEvent> events, Dictionary<HistoryEvent, HistoryEvent> replaced)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var original = events[i];
            if (!replaced.TryGetValue(original, out var normalized))
            {
                normalized = NormalizeEvent(original);
                replaced[original] = normalized;
            }

            events[i] = normalized;
        }
    }

    private static void NormalizeMessages(IList<TaskMessage>? messages)
    {
        if (messages is null)
        {
            return;
        }

        foreach (var message in messages)
        {
            message.Event = NormalizeEvent(message.Event);
        }
    }

    internal static HistoryEvent NormalizeEvent(HistoryEvent historyEvent)
    {
        switch (historyEvent)
        {
            case SubOrchestrationInstanceCreatedEvent created when created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent):
                return new SubOrchestrationInstanceCreatedEvent(created.EventId)
                {
                    Name = created.Name,
                    Version = created.Version,
                    InstanceId = created.InstanceId,
                    Input = created.Input,
                    ClientSpanId = created.ClientSpanId,
                    Tags = created.Tags is null ? null : ToPlainTags(created.Tags),
                    Timestamp = created.Timestamp,
                    IsPlayed = created.IsPlayed,
                };
            case SubOrchestrationInstanceCreatedEvent { Tags: not null } created:
                created.Tags = ToPlainTags(created.Tags);
                return created;
            case ExecutionStartedEvent { Tags: not null } started:
                started.Tags = ToPlainTags(started.Tags);
                return started;
            default:
                return historyEvent;
        }
    }

    private static IDictionary<string, string> ToPlainTags(IDictionary<string, string> tags) =>
        tags.GetType() == typeof(Dictionary<string, string>) ? tags : new Dictionary<string, string>(tags, StringComparer.Ordinal);

    /// <summary>Keeps one work item's queue messages invisible to other workers while it is processed; one renewal at a time.</summary>
    private sealed class LockRenewal : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly SemaphoreSlim gate = new(1, 1);
        private readonly Func<Task> renew;
        private readonly Task loop;

        public LockRenewal(Func<Task> renew, string kind, string workItemId, TimeSpan interval, ILogger logger)
        {
            this.renew = renew;
            loop = RenewUntilStoppedAsync(kind, workItemId, interval, logger, stop.Token);
        }

        /// <summary>An extra renewal asked for by the dispatcher, serialized with the periodic ones.</summary>
        public async Task RenewNowAsync()
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                await renew().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task RenewUntilStoppedAsync(string kind, string workItemId, TimeSpan interval, ILogger logger, CancellationToken cancellationToken)
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await renew().ConfigureAwait(false);
                        LogLockRenewed(logger, kind, workItemId);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // The next tick tries again; if the lock is lost the provider redelivers, which is the safe outcome.
                        LogLockRenewalFailed(logger, kind, workItemId, ex.GetType().Name);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: the work item completed, was abandoned or released.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
            stop.Dispose();
            gate.Dispose();
        }
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Debug, Message = "Renewed the lock of {Kind} work item {WorkItemId}")]
    static partial void LogLockRenewed(ILogger logger, string kind, string workItemId);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Renewing the lock of {Kind} work item {WorkItemId} failed ({ErrorType}); retrying at the next interval")]
    static partial void LogLockRenewalFailed(ILogger logger, string kind, string workItemId, string errorType);
}
