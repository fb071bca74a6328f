using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class QueueProvisioningTests(LocalStackFixture stack)
{
    [Fact]
    public async Task QueueMessage_ValidRequest_CompletesWithSignedCallback()
    {
        string name = stack.NewVmName("queue");
        JsonObject request = stack.NewRequest(name);
        request["idempotencyKey"] = "queue-" + name;

        await Queue(stack.RequestQueueName).SendMessageAsync(request.ToJsonString());

        string id = await WaitForInstanceNamedAsync(name);
        JsonObject done = await stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Single(await stack.WaitForCallbacksAsync(id, ".provisioned"), c => c.Verified);
        Assert.Equal(5, stack.SecretsOf(name).Count);
    }

    [Fact]
    public async Task QueueMessage_MalformedJson_MovedToPoisonQueueWithReason()
    {
        string text = "{\"name\": \"broken\", " + Guid.NewGuid().ToString("N");

        await Queue(stack.RequestQueueName).SendMessageAsync(text);

        JsonObject poisoned = await WaitForPoisonAsync(text);
        Assert.Equal("malformed-json", poisoned["reason"]!.GetValue<string>());
        Assert.Equal("json-syntax", poisoned["errors"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(0, (await Queue(stack.RequestQueueName).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task QueueMessage_InvalidRequest_MovedToPoisonQueueNamingTheRule()
    {
        JsonObject request = stack.NewRequest(stack.NewVmName("bad"));
        request["allowedSourceCidrs"] = new JsonArray("0.0.0.0/0");
        string text = request.ToJsonString();

        await Queue(stack.RequestQueueName).SendMessageAsync(text);

        JsonObject poisoned = await WaitForPoisonAsync(text);
        Assert.Equal("validation-failed", poisoned["reason"]!.GetValue<string>());
        Assert.Contains(poisoned["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>().StartsWith("allowedSourceCidrs", StringComparison.Ordinal));
    }

    QueueClient Queue(string name) =>
        new(stack.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    async Task<string> WaitForInstanceNamedAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if ((await stack.ListAllAsync()).FirstOrDefault(s => s["name"]?.GetValue<string>() == name) is { } status)
            {
                return status["instanceId"]!.GetValue<string>();
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"No instance for VM {name} appeared from the queue message.");
    }

    async Task<JsonObject> WaitForPoisonAsync(string originalText)
    {
        QueueClient poison = Queue(stack.RequestQueueName + "-poison");
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
