using System.Diagnostics;
using System.Text.Json;
using DockerVm.LocalHost.Tests.Infrastructure;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DurableTask.AzureStorage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace DockerVm.LocalHost.Tests.DurableTask;

/// <summary>
/// Durable timers of the workflow on the Azure Storage provider (Azurite): the provider turns a timer into a queue
/// message whose visibility delay is <c>FireAt − now</c> at send time (DurableTask.AzureStorage TaskHubQueue
/// <c>GetVisibilityDelay</c>), and the queue client sends whole seconds, truncated (Azure.Storage.Queues QueueClient
/// <c>SendMessage</c>: <c>(int?)visibilityTimeout?.TotalSeconds</c>). A timer set from the episode's start a second
/// ahead is sent a fraction of a second later, so its delay became 0 and it fired at once: the workflow polled as fast
/// as the backend could replay. Counted from the instance's stored history, never from the wall clock.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class DurableTimerTests(AzuriteFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan DeletionTakes = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Deprovision_PollIntervalOneSecondOnAzureStorage_ChecksAtMostOncePerSecond()
    {
        var hub = DurableTestHost.UniqueHubName("timer");
        var deletion = new FakeDeletion(DeletionTakes);
        await using var host = await DurableTestHost.StartAsync(fixture.Azurite, hub, deletion.Register);
        // The local settings: a 1 s poll interval, the provider's 1 s timer resolution, no wait expected before a check.
        var settings = WorkflowSettings.From(new ProvisioningOptions { PollInterval = TimeSpan.FromSeconds(1), ExpectedDeletionDuration = TimeSpan.Zero });
        var input = new DeprovisionDockerVmInput("timer-test", [FakeDeletion.ResourceId], [], null) { Settings = settings };

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(DeprovisionDockerVm), input);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        var history = await host.Services.GetRequiredService<AzureStorageOrchestrationService>().GetOrchestrationHistoryAsync(id, null);
        var events = Events(history);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        Assert.True(metadata.ReadOutputAs<DeprovisionDockerVmResult>()!.Succeeded);

        // The resource is gone 5 s after the delete started; checks at least 1 s apart (the first one 1 s after the
        // start) make at most 5 of them, 6 with one to spare (a loaded machine makes fewer). Before: 39 checks, 38
        // timers and 79 episodes (316 history events) for the same 5 s.
        var checks = events.Count(e => e.Type == "TaskScheduled" && e.Name == deletion.CheckName);
        var timers = events.Count(e => e.Type == "TimerCreated");
        var episodes = events.Count(e => e.Type == "OrchestratorStarted");
        output.WriteLine($"{checks} checks, {timers} timers, {episodes} episodes, {events.Count} history events for a {DeletionTakes.TotalSeconds} s deletion");
        Assert.InRange(checks, 1, 6);
        Assert.InRange(timers, 1, 6);
        Assert.InRange(episodes, 1, 2 * (checks + timers) + 2);
    }

    private static List<(string Type, string? Name)> Events(string historyJson)
    {
        using var history = JsonDocument.Parse(historyJson);
        return history.RootElement.EnumerateArray()
            .Select(e => (Type: e.GetProperty("EventType") is var t && t.ValueKind == JsonValueKind.Number ? ((global::DurableTask.Core.History.EventType)t.GetInt32()).ToString() : t.GetString()!,
                Name: e.TryGetProperty("Name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null))
            .ToList();
    }

    /// <summary>One ARM resource whose deletion takes <paramref name="takes"/> of real time after it started.</summary>
    private sealed class FakeDeletion(TimeSpan takes)
    {
        public const string ResourceId = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/timer-nsg";

        private readonly Stopwatch since = new();

        public string CheckName => nameof(GetArmOperationStatus);

        public void Register(DurableTaskRegistry registry)
        {
            registry.AddOrchestrator<DeprovisionDockerVm>();
            registry.AddActivityFunc<DeleteResourceInput, DeleteResourceOutput>(nameof(DeleteResource), (TaskActivityContext _, DeleteResourceInput input) =>
            {
                since.Start();
                return new DeleteResourceOutput(AlreadyGone: false, Operation: new ArmOperationHandle(input.ResourceId, "https://arm.example/operations/1", null, null, Done: false, IsDelete: true));
            });
            registry.AddActivityFunc<ArmOperationHandle, ArmOperationState>(nameof(GetArmOperationStatus), (TaskActivityContext _, ArmOperationHandle _) =>
                new ArmOperationState(since.Elapsed < takes ? "InProgress" : "Succeeded", null, null));
        }
    }
}
