using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DockerVm.LocalHost.DurableTask;
using DockerVm.LocalHost.Queues;
using DockerVm.LocalHost.Tests.Infrastructure;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.LocalHost.Tests.Queues;

/// <summary>The request queue behaves like a Functions queue trigger: retries, max dequeue count, poison with a reason.</summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class RequestQueueListenerTests(AzuriteFixture fixture)
{
    private const string SshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJuf4M9JfqRy5iezvNyplp1KoP0oj4ET5zA0LmWPKuPq test";

    [Fact]
    public async Task ValidMessage_StorageFailsTwiceThenRecovers_ScheduledOnceAndRemovedFromQueue()
    {
        var client = FlakyTaskHub(failures: 2);
        await using var listener = await StartAsync(client);

        await listener.Requests.SendMessageAsync(ValidRequest("retry1"));

        Assert.True(await EventuallyAsync(() => client.Scheduled.Count == 1));
        Assert.True(await EventuallyAsync(async () => await CountAsync(listener.Requests) == 0));
        Assert.Equal(0, await CountAsync(listener.Poison));
    }

    [Fact]
    public async Task ValidMessage_StorageFailsOnEveryDelivery_MovedToPoisonAfterFiveDeliveriesWithReason()
    {
        var client = FlakyTaskHub(failures: int.MaxValue);
        await using var listener = await StartAsync(client);

        await listener.Requests.SendMessageAsync(ValidRequest("broken1"));

        var record = await WaitForPoisonAsync(listener.Poison);
        Assert.Equal(RequestQueueListener.RetriesExhaustedReason, record["reason"]!.GetValue<string>());
        Assert.Equal(5, record["dequeueCount"]!.GetValue<int>());
        Assert.Contains("InvalidOperationException", record["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("broken1", record["originalMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(listener.Requests));
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task MalformedMessage_FirstDelivery_MovedToPoisonWithoutRetry()
    {
        var client = FlakyTaskHub(failures: 0);
        await using var listener = await StartAsync(client);

        await listener.Requests.SendMessageAsync("this is not json");

        var record = await WaitForPoisonAsync(listener.Poison);
        Assert.Equal(SubmitRejected.MalformedJson, record["reason"]!.GetValue<string>());
        Assert.Equal(1, record["dequeueCount"]!.GetValue<int>());
        Assert.Equal("this is not json", record["originalMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task MessageWithPrivateKeyAsSshKey_PoisonRecordHoldsNoKeyButTheHash()
    {
        var client = FlakyTaskHub(failures: 0);
        await using var listener = await StartAsync(client);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem();
        var request = JsonNode.Parse(ValidRequest("leaky1"))!.AsObject();
        request["sshPublicKey"] = key;
        var message = request.ToJsonString();

        await listener.Requests.SendMessageAsync(message);

        var record = await WaitForPoisonAsync(listener.Poison);
        var stored = record.ToJsonString();
        Assert.DoesNotContain("PRIVATE KEY", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Split('\n')[1], stored, StringComparison.Ordinal);
        Assert.Equal(SubmitRejected.ValidationFailed, record["reason"]!.GetValue<string>());
        Assert.Equal(ValidationRules.SshKeyPrivateKey, record["errors"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message))), record["originalMessageSha256"]!.GetValue<string>());
        Assert.Contains("leaky1", record["originalMessage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task MessageWithUnknownField_PoisonedWithTheFieldAndNothingScheduled()
    {
        var client = FlakyTaskHub(failures: 0);
        await using var listener = await StartAsync(client);
        var request = JsonNode.Parse(ValidRequest("bogus1"))!.AsObject();
        request["bogus"] = 1;

        await listener.Requests.SendMessageAsync(request.ToJsonString());

        var record = await WaitForPoisonAsync(listener.Poison);
        Assert.Equal(SubmitRejected.MalformedJson, record["reason"]!.GetValue<string>());
        Assert.Equal("bogus", record["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(ValidationRules.UnknownField, record["errors"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(0, await CountAsync(listener.Requests));
        Assert.Empty(client.Scheduled);
    }

    private async Task<RunningListener> StartAsync(DurableTaskClient client)
    {
        var provisioning = Options.Create(new ProvisioningOptions { RequestQueueName = "requests-" + Guid.NewGuid().ToString("N")[..8] });
        var queues = new RequestQueues(Options.Create(new TaskHubStorageOptions { AzureWebJobsStorage = fixture.Azurite.ConnectionString }), provisioning);
        var service = new DockerVmService(
            new ProvisionRequestValidator(Options.Create(new CallbackOptions()), NullLogger<ProvisionRequestValidator>.Instance),
            new InMemoryRecordStore(),
            TimeProvider.System,
            Options.Create(new AzureOptions { SubscriptionId = "3fa85f64-5717-4562-b3fc-2c963f66afa6" }),
            provisioning,
            NullLogger<DockerVmService>.Instance);
        var listener = new RequestQueueListener(
            queues,
            new QueueRequestHandler(service, NullLogger<QueueRequestHandler>.Instance),
            client,
            Options.Create(new RequestQueueListenerOptions { VisibilityTimeout = TimeSpan.Zero, MaxPollingInterval = TimeSpan.FromMilliseconds(200) }),
            TimeProvider.System,
            NullLogger<RequestQueueListener>.Instance);
        await queues.Requests.CreateIfNotExistsAsync();
        await listener.StartAsync(CancellationToken.None);
        return new RunningListener(listener, queues.Requests, queues.Poison);
    }

    private static string ValidRequest(string name) => new JsonObject
    {
        ["name"] = name,
        ["resourceGroup"] = "rg-test",
        ["location"] = "westeurope",
        ["vmSize"] = "Standard_B2s",
        ["adminUsername"] = "azureuser",
        ["sshPublicKey"] = SshPublicKey,
        ["allowedSourceCidrs"] = new JsonArray("203.0.113.0/24"),
    }.ToJsonString();

    private static async Task<int> CountAsync(QueueClient queue) =>
        await queue.ExistsAsync() ? (await queue.PeekMessagesAsync(32)).Value.Length : 0;

    private static async Task<JsonObject> WaitForPoisonAsync(QueueClient poison)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (await poison.ExistsAsync() && (await poison.PeekMessagesAsync(1)).Value is [PeekedMessage message])
            {
                return JsonNode.Parse(message.Body.ToString())!.AsObject();
            }
        }

        throw new TimeoutException("Nothing reached the poison queue.");
    }

    private static Task<bool> EventuallyAsync(Func<bool> condition) => EventuallyAsync(() => Task.FromResult(condition()));

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (await condition())
            {
                return true;
            }
        }

        return await condition();
    }

    private sealed class RunningListener(RequestQueueListener listener, QueueClient requests, QueueClient poison) : IAsyncDisposable
    {
        public QueueClient Requests => requests;

        public QueueClient Poison => poison;

        public async ValueTask DisposeAsync()
        {
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();
        }
    }

    /// <summary>A task hub whose storage fails for the first <paramref name="failures"/> calls, then schedules normally.</summary>
    private static FakeDurableTaskClient FlakyTaskHub(int failures) =>
        new() { FailWith = new InvalidOperationException("task hub storage unavailable"), FailingCalls = failures };
}
