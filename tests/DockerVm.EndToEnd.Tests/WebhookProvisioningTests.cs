using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.EndToEnd.Tests.Infrastructure;
using StandardWebhooks;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class WebhookProvisioningTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    private static readonly string AnotherSecret = "whsec_" + Convert.ToBase64String(new byte[32]);

    [Fact]
    public async Task SignedWebhook_ProvisionRequested_CompletesLikeHttpAndItsReplayIsRefused()
    {
        var name = Stack.NewVmName("hook");
        var payload = Envelope(Stack.NewRequest(name, withCallback: false));
        var webhookId = "msg_" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;
        // Standard Webhooks, "Webhook headers": a sender mid-rotation sends one signature per secret; any v1 may match.
        var signatures = $"{new StandardWebhook(AnotherSecret).Sign(webhookId, now, payload)} {new StandardWebhook(Stack.WebhookSecret).Sign(webhookId, now, payload)}";

        using var response = await PostAsync(payload, webhookId, now, signatures);
        // The id is held in the host's table storage (Azurite), where every instance would see it.
        using var replay = await PostAsync(payload, webhookId, now, signatures);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        var done = await Stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "succeeded");
        Assert.Equal(name, done["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Webhook_SignedWithAnotherSecret_RejectedAndNothingScheduled()
    {
        var name = Stack.NewVmName("forged");
        var payload = Envelope(Stack.NewRequest(name, withCallback: false));

        var webhookId = "msg_" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow;

        using var response = await PostAsync(payload, webhookId, now, new StandardWebhook(AnotherSecret).Sign(webhookId, now, payload));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);

        // The webhook is verified before anything is scheduled, and a scheduled instance is listed at once: no wait.
        Assert.DoesNotContain(await Stack.ListAllAsync(), s => s["name"]?.GetValue<string>() == name);
    }

    private static string Envelope(JsonObject request) => new JsonObject
    {
        ["type"] = "dockerhost.provision.requested",
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["data"] = request,
    }.ToJsonString();

    private async Task<HttpResponseMessage> PostAsync(string payload, string id, DateTimeOffset now, string signatures)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/docker-vms")
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signatures);
        return await Stack.Api.SendAsync(request);
    }
}
