using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using DockerVm.LocalHost.Tests.Infrastructure;
using DurableTask.AzureStorage;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.LocalHost.Tests.DurableTask;

/// <summary>
/// The local Durable Task runtime on a real Azure Storage task hub (Azurite): each test exercises one of the places where
/// the gRPC sidecar and the Azure Storage provider disagree, through the public worker/client API.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class AzureStorageSidecarTests(AzuriteFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SubOrchestration_OnAzureStorage_ParentCompletesAndItsHistoryLoads()
    {
        await using var host = await DurableTestHost.StartAsync(fixture.Azurite, DurableTestHost.UniqueHubName("sub"), Register);
        var client = host.Client;

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ParentOrchestrator), "docker");
        var result = await WaitAsync(client, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal("parent(child(docker))", result.ReadOutputAs<string>());

        // The parent's stored history must read back, including the sub-orchestration start with its event type.
        var storage = host.Services.GetRequiredService<AzureStorageOrchestrationService>();
        var history = await storage.GetOrchestrationHistoryAsync(id, null);
        var eventTypes = EventTypes(history);
        Assert.Contains(EventType.SubOrchestrationInstanceCreated, eventTypes);
        Assert.Contains(EventType.SubOrchestrationInstanceCompleted, eventTypes);
    }

    [Fact]
    public async Task SubOrchestrationWithTags_OnAzureStorage_ChildStartsWithItsTags()
    {
        await using var host = await DurableTestHost.StartAsync(fixture.Azurite, DurableTestHost.UniqueHubName("tags"), Register);
        var client = host.Client;

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ParentOrchestrator), "tagged");
        var parent = await WaitAsync(client, id);
        var child = await client.GetInstanceAsync(ChildId(id), getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.NotNull(child);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
        Assert.Equal("docker-vm", child.Tags["purpose"]);
    }

    [Fact]
    public async Task ActivityLongerThanVisibilityTimeout_OnAzureStorage_RunsOnceAndItsMessageIsDeleted()
    {
        var settings = new Dictionary<string, string?>
        {
            ["LocalHost:DurableTask:WorkItemVisibilityTimeout"] = "00:00:03",
        };
        var hub = DurableTestHost.UniqueHubName("lock");
        await using var host = await DurableTestHost.StartAsync(fixture.Azurite, hub, Register, settings);
        var client = host.Client;
        var key = Guid.NewGuid().ToString("N");

        var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(SlowOrchestrator), key);
        var result = await WaitAsync(client, id);

        // A lost lock shows in two exact ways, no fixed wait needed: the message was delivered again while the activity
        // ran (a second execution has started by the time the orchestration completes), and the first execution could
        // not delete it, so it stays in the work-item queue (invisible messages count too) and is delivered again.
        // The delete follows the result message by a moment, so wait for the queue to empty, with a deadline.
        var workItems = new QueueClient(fixture.Azurite.ConnectionString, hub.ToLowerInvariant() + "-workitems");
        var remaining = await WaitForEmptyAsync(workItems, TimeSpan.FromSeconds(10));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(1, SlowActivity.Executions[key]);
        Assert.Equal(0, remaining);
    }

    private static void Register(DurableTaskRegistry tasks)
    {
        tasks.AddOrchestrator<ParentOrchestrator>();
        tasks.AddOrchestrator<ChildOrchestrator>();
        tasks.AddOrchestrator<SlowOrchestrator>();
        tasks.AddActivity<SlowActivity>();
    }

    private static EventType[] EventTypes(string historyJson)
    {
        using var history = JsonDocument.Parse(historyJson);
        return history.RootElement.EnumerateArray()
            .Select(e => e.GetProperty("EventType"))
            .Select(t => t.ValueKind == JsonValueKind.Number ? (EventType)t.GetInt32() : Enum.Parse<EventType>(t.GetString()!))
            .ToArray();
    }

    private static async Task<int> WaitForEmptyAsync(QueueClient queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var count = (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
            if (count == 0 || DateTime.UtcNow >= deadline)
            {
                return count;
            }

            await Task.Delay(100);
        }
    }

    private static string ChildId(string parentId) => parentId + "-child";

    private static async Task<OrchestrationMetadata> WaitAsync(DurableTaskClient client, string id)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    private sealed class ParentOrchestrator : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var options = new SubOrchestrationOptions(
                new TaskOptions(retry: null, tags: new Dictionary<string, string> { ["purpose"] = "docker-vm" }),
                ChildId(context.InstanceId));
            var child = await context.CallSubOrchestratorAsync<string>(nameof(ChildOrchestrator), input, options);
            return $"parent({child})";
        }
    }

    private sealed class ChildOrchestrator : TaskOrchestrator<string, string>
    {
        public override Task<string> RunAsync(TaskOrchestrationContext context, string input) => Task.FromResult($"child({input})");
    }

    private sealed class SlowOrchestrator : TaskOrchestrator<string, int>
    {
        public override Task<int> RunAsync(TaskOrchestrationContext context, string input) =>
            context.CallActivityAsync<int>(nameof(SlowActivity), input);
    }

    private sealed class SlowActivity : TaskActivity<string, int>
    {
        public static readonly ConcurrentDictionary<string, int> Executions = new();

        public override async Task<int> RunAsync(TaskActivityContext context, string input)
        {
            var count = Executions.AddOrUpdate(input, 1, (_, n) => n + 1);

            // Part of the scenario: run well past the 3 s visibility timeout, so that without lock renewal the message
            // is delivered again meanwhile (a visibility timeout can only elapse in real time on Azurite).
            await Task.Delay(TimeSpan.FromSeconds(9));
            return count;
        }
    }
}
