using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class QueueProvisioningTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    [Fact]
    public async Task QueueMessage_ValidRequest_CompletesWithSignedCallback()
    {
        string name = Stack.NewVmName("queue");
        JsonObject request = Stack.NewRequest(name);
        request["idempotencyKey"] = "queue-" + name;

        await Queue(Stack.RequestQueueName).SendMessageAsync(request.ToJsonString());

        string id = await WaitForInstanceNamedAsync(name);
        JsonObject done = await Stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Single(await Stack.WaitForCallbacksAsync(id, ".provisioned"), c => c.Verified);
        Assert.Equal(5, Stack.SecretsOf(name).Count);
    }

    [Fact]
    public async Task QueueMessage_MalformedJson_MovedToPoisonQueueWithReason()
    {
        string text = "{\"name\": \"broken\", " + Guid.NewGuid().ToString("N");

        await Queue(Stack.RequestQueueName).SendMessageAsync(text);

        JsonObject poisoned = await WaitForPoisonAsync(text);
        Assert.Equal("malformed-json", poisoned["reason"]!.GetValue<string>());
        Assert.Equal("json-syntax", poisoned["errors"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(0, (await Queue(Stack.RequestQueueName).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task QueueMessage_InvalidRequest_MovedToPoisonQueueNamingTheRule()
    {
        JsonObject request = Stack.NewRequest(Stack.NewVmName("bad"));
        request["allowedSourceCidrs"] = new JsonArray("0.0.0.0/0");
        string text = request.ToJsonString();

        await Queue(Stack.RequestQueueName).SendMessageAsync(text);

        JsonObject poisoned = await WaitForPoisonAsync(text);
        Assert.Equal("validation-failed", poisoned["reason"]!.GetValue<string>());
        Assert.Contains(poisoned["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>().StartsWith("allowedSourceCidrs", StringComparison.Ordinal));
    }

    QueueClient Queue(string name) =>
        new(Stack.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    async Task<string> WaitForInstanceNamedAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await Stack.ListAllAsync()).FirstOrDefault(s => s["name"]?.GetValue<string>() == name) is { } status)
            {
                return status["instanceId"]!.GetValue<string>();
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No instance for VM {name} appeared from the queue message.");
    }

    async Task<JsonObject> WaitForPoisonAsync(string originalText)
    {
        QueueClient poison = Queue(Stack.RequestQueueName + "-poison");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await poison.ExistsAsync())
            {
                PeekedMessage[] messages = (await poison.PeekMessagesAsync(32)).Value;
                foreach (PeekedMessage message in messages)
                {
                    JsonObject record = JsonNode.Parse(message.Body.ToString())!.AsObject();
                    if (record["originalMessage"]?.GetValue<string>() == originalText)
                    {
                        return record;
                    }
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The message did not reach the poison queue.");
    }
}
