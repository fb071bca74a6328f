using System.Text.Json.Nodes;
using DockerVm.Api.Http;
using DockerVm.Api.Webhooks;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using StandardWebhooks;

namespace DockerVm.Api.Tests.Http;

/// <summary>A verified webhook's body is read like the REST body: the same media type rule and the same strict reader.</summary>
public sealed class WebhookBodyTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private static JsonObject Envelope(JsonNode? data = null) => new()
    {
        ["type"] = InboundWebhookPayload.ProvisionRequestedType,
        ["timestamp"] = "2026-11-27T12:00:00Z",
        ["data"] = data ?? TestRequests.Valid(),
    };

    private async Task<HttpOutcome> PostSignedAsync(string payload, string contentType = "application/json")
    {
        const string Id = "msg_body_tests";
        var timestamp = _api.Time.GetUtcNow();
        var headers = new Dictionary<string, string>
        {
            [InboundWebhookVerifier.IdHeader] = Id,
            [InboundWebhookVerifier.TimestampHeader] = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [InboundWebhookVerifier.SignatureHeader] = new StandardWebhook(ApiTestContext.WebhookSecret).Sign(Id, timestamp, payload),
        };
        var request = _api.Request("POST", DockerVmRoutes.Webhook, payload, contentType, headers);
        return await ApiTestContext.ExecuteAsync(await _api.Handlers.ReceiveWebhookAsync(request, _api.Client, default), request);
    }

    [Theory]
    [InlineData("application/cloudevents+json")]
    [InlineData("application/webhook+json")]
    [InlineData("text/plain")]
    public async Task Webhook_SignedButNotApplicationJson_Returns415(string contentType)
    {
        var response = await PostSignedAsync(Envelope().ToJsonString(), contentType);

        Assert.Equal(415, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_ApplicationJsonWithCharset_IsAccepted()
    {
        var response = await PostSignedAsync(Envelope().ToJsonString(), "application/json; charset=utf-8");

        Assert.Equal(202, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_UnknownFieldInData_Returns400NamingDataPath()
    {
        var data = TestRequests.Valid();
        data["bogus"] = 1;

        var response = await PostSignedAsync(Envelope(data).ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(ValidationRules.UnknownField, response.Json.GetProperty("errors").GetProperty("data.bogus")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_NumberInStringInData_Returns400NamingDataPath()
    {
        var data = TestRequests.Valid();
        data["dockerPort"] = "2377";

        var response = await PostSignedAsync(Envelope(data).ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(ValidationRules.JsonSyntax, response.Json.GetProperty("errors").GetProperty("data.dockerPort")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_CaseVariantEnvelopeMember_Returns400()
    {
        var envelope = Envelope();
        envelope["Type"] = envelope["type"]!.DeepClone();
        envelope.Remove("type");

        var response = await PostSignedAsync(envelope.ToJsonString());

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(ValidationRules.UnknownField, response.Json.GetProperty("errors").GetProperty("Type")[0].GetProperty("rule").GetString());
    }

    [Fact]
    public async Task Webhook_DuplicateKeyInData_Returns400()
    {
        var payload = Envelope().ToJsonString().Replace("\"name\":\"devbox1\"", "\"name\":\"devbox1\",\"name\":\"other1\"", StringComparison.Ordinal);

        var response = await PostSignedAsync(payload);

        Assert.Equal(400, response.StatusCode);
        Assert.Equal(ValidationRules.DuplicateField, response.Json.GetProperty("errors").GetProperty("data.name")[0].GetProperty("rule").GetString());
    }
}
