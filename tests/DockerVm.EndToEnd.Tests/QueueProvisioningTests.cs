using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class QueueProvisioningTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    [Fact]
    public async Task QueueMessage_ValidRequest_CompletesWithSignedCallback()
    {
        var name = Stack.NewVmName("queue");
        var request = Stack.NewRequest(name);
        request["idempotencyKey"] = "queue-" + name;

        await Queue(Stack.RequestQueueName).SendMessageAsync(request.ToJsonString());

        var id = await WaitForInstanceNamedAsync(name);
        var done = await Stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "succeeded", "failed");
        Assert.Equal("succeeded", done["state"]!.GetValue<string>());
        Assert.Single(await Stack.WaitForCallbacksAsync(id, ".provisioned"), c => c.Verified);
        Assert.Equal(5, Stack.SecretsOf(name).Count);
    }

    [Fact]
    public async Task QueueMessage_MalformedJson_MovedToPoisonQueueWithReason()
    {
        var text = "{\"name\": \"broken\", " + Guid.NewGuid().ToString("N");

        await Queue(Stack.RequestQueueName).SendMessageAsync(text);

        var poisoned = await WaitForPoisonAsync(text);
        Assert.Equal("malformed-json", poisoned["reason"]!.GetValue<string>());
        Assert.Equal("json-syntax", poisoned["errors"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal(0, (await Queue(Stack.RequestQueueName).GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task QueueMessage_InvalidRequest_MovedToPoisonQueueNamingTheRule()
    {
        var request = Stack.NewRequest(Stack.NewVmName("bad"));
        request["allowedSourceCidrs"] = new JsonArray("0.0.0.0/0");
        var text = request.ToJsonString();

        await Queue(Stack.RequestQueueName).SendMessageAsync(text);

        var poisoned = await WaitForPoisonAsync(text);
        Assert.Equal("validation-failed", poisoned["reason"]!.GetValue<string>());
        Assert.Contains(poisoned["errors"]!.AsArray(), e => e!["field"]!.GetValue<string>().StartsWith("allowedSourceCidrs", StringComparison.Ordinal));
    }

    private QueueClient Queue(string name) =>
        new(Stack.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    private async Task<string> WaitForInstanceNamedAsync(string name)
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

    private async Task<JsonObject> WaitForPoisonAsync(string originalText)
    {
        var poison = Queue(Stack.RequestQueueName + "-poison");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await poison.ExistsAsync())
            {
                var messages = (await poison.PeekMessagesAsync(32)).Value;
                foreach (var message in messages)
                {
                    var record = JsonNode.Parse(message.Body.ToString())!.AsObject();
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
