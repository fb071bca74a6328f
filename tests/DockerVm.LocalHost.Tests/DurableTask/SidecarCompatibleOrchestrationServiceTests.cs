using DockerVm.LocalHost.DurableTask;
using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.LocalHost.Tests.DurableTask;

/// <summary>Fast checks of each fix against a recording provider; the Azurite tests show each one matters.</summary>
public sealed class SidecarCompatibleOrchestrationServiceTests
{
    [Fact]
    public async Task CompleteOrchestration_SidecarSubOrchestrationEvent_ProviderReceivesPlainEvent()
    {
        var provider = new RecordingOrchestrationService();
        await using var service = Create(provider, TimeSpan.FromMinutes(1));
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new ExecutionStartedEvent(-1, "\"in\"") { Name = "Parent", OrchestrationInstance = new OrchestrationInstance { InstanceId = "p1", ExecutionId = "e1" } });
        state.AddEvent(new GrpcSubOrchestrationInstanceCreatedEvent(7) { Name = "Child", InstanceId = "c1", Input = "\"x\"", Version = "1" });

        await service.CompleteTaskOrchestrationWorkItemAsync(
            new TaskOrchestrationWorkItem { InstanceId = "p1", OrchestrationRuntimeState = state }, state, [], [], [], null!, new OrchestrationState());

        var stored = Assert.Single(provider.CompletedState!.NewEvents, e => e.EventType == EventType.SubOrchestrationInstanceCreated);
        var plain = Assert.IsType<SubOrchestrationInstanceCreatedEvent>(stored, exactMatch: true);
        Assert.Equal((7, "Child", "c1", "\"x\"", "1"), (plain.EventId, plain.Name, plain.InstanceId, plain.Input, plain.Version));
        Assert.Same(plain, provider.CompletedState.Events[1]);
    }

    [Fact]
    public async Task CompleteOrchestration_ProtobufMapTags_ProviderReceivesPlainDictionaries()
    {
        var provider = new RecordingOrchestrationService();
        await using var service = Create(provider, TimeSpan.FromMinutes(1));
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new ExecutionStartedEvent(-1, null) { Name = "Parent", OrchestrationInstance = new OrchestrationInstance { InstanceId = "p1" } });
        var childStart = new TaskMessage
        {
            Event = new ExecutionStartedEvent(-1, null) { Name = "Child", Tags = new MapField<string, string> { { "owner", "team-a" } } },
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "c1" },
        };
        var status = new OrchestrationState { Tags = new MapField<string, string> { { "owner", "team-a" } } };

        await service.CompleteTaskOrchestrationWorkItemAsync(
            new TaskOrchestrationWorkItem { InstanceId = "p1", OrchestrationRuntimeState = state }, state, [], [childStart], [], null!, status);

        var sentTags = ((ExecutionStartedEvent)provider.OrchestratorMessages!.Single().Event).Tags;
        Assert.IsType<Dictionary<string, string>>(sentTags, exactMatch: true);
        Assert.Equal("team-a", sentTags["owner"]);
        Assert.IsType<Dictionary<string, string>>(provider.CompletedStatus!.Tags, exactMatch: true);
    }

    [Fact]
    public async Task LockedActivity_RunningLongerThanRenewalInterval_LockRenewedUntilCompleted()
    {
        var provider = new RecordingOrchestrationService();
        await using var service = Create(provider, TimeSpan.FromMilliseconds(50));

        var workItem = await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        var renewedRepeatedly = await EventuallyAsync(() => provider.Renewals >= 3, TimeSpan.FromSeconds(10));
        await service.CompleteTaskActivityWorkItemAsync(workItem, new TaskMessage());
        var renewalsAtCompletion = provider.Renewals;

        // Part of the scenario, not a wait for a result: the renewal timer runs on the real clock (the service takes
        // no TimeProvider), so showing that it stopped ticking means letting six renewal intervals pass. The count
        // compared is exact: completing awaits the renewal loop, so no renewal can still be in flight.
        await Task.Delay(300);

        Assert.True(renewedRepeatedly);
        Assert.Equal(renewalsAtCompletion, provider.Renewals);
        Assert.Equal(0, service.ActiveRenewals);
        Assert.True(provider.ActivityCompleted);
    }

    [Fact]
    public async Task LockedActivity_Abandoned_RenewalStops()
    {
        var provider = new RecordingOrchestrationService();
        await using var service = Create(provider, TimeSpan.FromMilliseconds(50));

        var workItem = await service.LockNextTaskActivityWorkItem(TimeSpan.FromSeconds(1), CancellationToken.None);
        await service.AbandonTaskActivityWorkItemAsync(workItem);
        var renewalsAtAbandon = provider.Renewals;

        // As above: six renewal intervals on the real clock, to show the timer stopped; abandoning awaits the loop.
        await Task.Delay(300);

        Assert.Equal(renewalsAtAbandon, provider.Renewals);
        Assert.Equal(0, service.ActiveRenewals);
    }

    [Fact]
    public async Task LockedOrchestration_RunningLongerThanRenewalInterval_MessagesRenewedUntilCompleted()
    {
        var provider = new RecordingOrchestrationService();
        await using var service = Create(provider, TimeSpan.FromMilliseconds(50));

        var workItem = await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        var renewedRepeatedly = await EventuallyAsync(() => provider.OrchestrationRenewals >= 3, TimeSpan.FromSeconds(10));
        await service.CompleteTaskOrchestrationWorkItemAsync(workItem, workItem.OrchestrationRuntimeState, [], [], [], null!, new OrchestrationState());
        var renewalsAtCompletion = provider.OrchestrationRenewals;

        // As for activities: six renewal intervals on the real clock show the timer stopped; completing awaits the loop.
        await Task.Delay(300);
        await service.ReleaseTaskOrchestrationWorkItemAsync(workItem);

        Assert.True(renewedRepeatedly);
        Assert.Equal(renewalsAtCompletion, provider.OrchestrationRenewals);
        Assert.Equal(0, service.ActiveOrchestrationRenewals);
        Assert.NotNull(provider.CompletedState);
    }

    [Fact]
    public async Task LockedOrchestration_AbandonedThenReleased_RenewalStops()
    {
        var provider = new RecordingOrchestrationService();
        await using var service = Create(provider, TimeSpan.FromMilliseconds(50));

        var workItem = await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await service.AbandonTaskOrchestrationWorkItemAsync(workItem);
        await service.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        var renewalsAtAbandon = provider.OrchestrationRenewals;

        await Task.Delay(300);

        Assert.Equal(renewalsAtAbandon, provider.OrchestrationRenewals);
        Assert.Equal(0, service.ActiveOrchestrationRenewals);
    }

    [Theory]
    [InlineData("00:00:10", "00:00:10")]
    [InlineData("00:00:10", "00:00:30")]
    public void Options_RenewalNotShorterThanVisibilityTimeout_Invalid(string visibility, string renewal)
    {
        var options = new LocalDurableTaskOptions
        {
            WorkItemVisibilityTimeout = TimeSpan.Parse(visibility, System.Globalization.CultureInfo.InvariantCulture),
            ActivityLockRenewalInterval = TimeSpan.Parse(renewal, System.Globalization.CultureInfo.InvariantCulture),
        };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(LocalDurableTaskOptions.ActivityLockRenewalInterval)));
    }

    [Fact]
    public void Options_Defaults_ShortVisibilityTimeoutsRenewedThreeTimesPerTimeout()
    {
        var options = new LocalDurableTaskOptions();

        Assert.Equal(TimeSpan.FromSeconds(10), options.WorkItemVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ControlQueueVisibilityTimeout);
        Assert.Equal(options.WorkItemVisibilityTimeout / 3, options.EffectiveLockRenewalInterval);
        Assert.Equal(options.ControlQueueVisibilityTimeout / 3, options.EffectiveOrchestrationLockRenewalInterval);
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (condition())
            {
                return true;
            }
        }

        return condition();
    }

    private static SidecarCompatibleOrchestrationService Create(IOrchestrationService provider, TimeSpan renewal) =>
        new(provider, renewal, renewal, NullLogger<SidecarCompatibleOrchestrationService>.Instance);

    private sealed class RecordingOrchestrationService : IOrchestrationService
    {
        private int renewals;
        private int orchestrationRenewals;

        public OrchestrationRuntimeState? CompletedState { get; private set; }

        public IList<TaskMessage>? OrchestratorMessages { get; private set; }

        public OrchestrationState? CompletedStatus { get; private set; }

        public int Renewals => Volatile.Read(ref renewals);

        public int OrchestrationRenewals => Volatile.Read(ref orchestrationRenewals);

        public bool ActivityCompleted { get; private set; }

        public int TaskOrchestrationDispatcherCount => 1;

        public int MaxConcurrentTaskOrchestrationWorkItems => 1;

        public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

        public int TaskActivityDispatcherCount => 1;

        public int MaxConcurrentTaskActivityWorkItems => 1;

        public Task CompleteTaskOrchestrationWorkItemAsync(
            TaskOrchestrationWorkItem workItem, OrchestrationRuntimeState newOrchestrationRuntimeState, IList<TaskMessage> outboundMessages,
            IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages, TaskMessage continuedAsNewMessage, OrchestrationState orchestrationState)
        {
            CompletedState = newOrchestrationRuntimeState;
            OrchestratorMessages = orchestratorMessages;
            CompletedStatus = orchestrationState;
            return Task.CompletedTask;
        }

        public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
            Task.FromResult(new TaskActivityWorkItem { Id = "activity-1", LockedUntilUtc = DateTime.UtcNow.AddSeconds(1) });

        public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
        {
            Interlocked.Increment(ref renewals);
            return Task.FromResult(workItem);
        }

        public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
        {
            ActivityCompleted = true;
            return Task.CompletedTask;
        }

        public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => Task.CompletedTask;

        public Task StartAsync() => Task.CompletedTask;

        public Task StopAsync() => Task.CompletedTask;

        public Task StopAsync(bool isForced) => Task.CompletedTask;

        public Task CreateAsync() => Task.CompletedTask;

        public Task CreateAsync(bool recreateInstanceStore) => Task.CompletedTask;

        public Task CreateIfNotExistsAsync() => Task.CompletedTask;

        public Task DeleteAsync() => Task.CompletedTask;

        public Task DeleteAsync(bool deleteInstanceStore) => Task.CompletedTask;

        public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

        public int GetDelayInSecondsAfterOnProcessException(Exception exception) => 0;

        public int GetDelayInSecondsAfterOnFetchException(Exception exception) => 0;

        public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        {
            var state = new OrchestrationRuntimeState();
            state.AddEvent(new ExecutionStartedEvent(-1, null) { Name = "Slow", OrchestrationInstance = new OrchestrationInstance { InstanceId = "o1", ExecutionId = "e1" } });
            return Task.FromResult(new TaskOrchestrationWorkItem { InstanceId = "o1", OrchestrationRuntimeState = state, LockedUntilUtc = DateTime.UtcNow.AddSeconds(1) });
        }

        public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
        {
            Interlocked.Increment(ref orchestrationRenewals);
            return Task.CompletedTask;
        }

        public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Task.CompletedTask;

        public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => Task.CompletedTask;
    }
}
