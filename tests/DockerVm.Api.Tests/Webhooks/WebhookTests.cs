using System.Text.Json.Nodes;
using DockerVm.Api.Http;
using DockerVm.Api.Webhooks;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using StandardWebhooks;

namespace DockerVm.Api.Tests.Webhooks;

public sealed class WebhookTests : IAsyncLifetime
{
    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private static string Envelope(string? type = InboundWebhookPayload.ProvisionRequestedType, JsonNode? data = null) => new JsonObject
    {
        ["type"] = type,
        ["timestamp"] = "2026-11-27T12:00:00Z",
        ["data"] = data ?? TestRequests.Valid(),
    }.ToJsonString();

    private Dictionary<string, string> Signed(string payload, string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", DateTimeOffset? at = null, string secret = ApiTestContext.WebhookSecret)
    {
        var timestamp = at ?? _api.Time.GetUtcNow();
        return new Dictionary<string, string>
        {
            [InboundWebhookVerifier.IdHeader] = id,
            [InboundWebhookVerifier.TimestampHeader] = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [InboundWebhookVerifier.SignatureHeader] = new StandardWebhook(secret).Sign(id, timestamp, payload),
        };
    }

    private async Task<HttpOutcome> PostAsync(string payload, IReadOnlyDictionary<string, string> headers)
    {
        var request = _api.Request("POST", DockerVmRoutes.Webhook, payload, "application/json", headers);
        return await ApiTestContext.ExecuteAsync(await _api.Handlers.ReceiveWebhookAsync(request, _api.Client, default), request);
    }

    [Fact]
    public async Task Webhook_ValidSignature_Returns202AndSchedulesWithWebhookIdAsIdempotencyKey()
    {
        var payload = Envelope();

        var response = await PostAsync(payload, Signed(payload, id: "msg_one"));

        Assert.Equal(202, response.StatusCode);
        var scheduled = Assert.Single(_api.Client.Scheduled);
        Assert.Equal(nameof(ProvisionDockerVm), scheduled.Name);
        Assert.Equal(InstanceIds.ForTarget("rg-docker", "devbox1"), scheduled.InstanceId);
        Assert.Equal($"/api/docker-vms/{scheduled.InstanceId}", response.Location);
    }

    [Fact]
    public async Task Webhook_Unsigned_Returns401AndSchedulesNothing()
    {
        var response = await PostAsync(Envelope(), new Dictionary<string, string>());

        Assert.Equal(401, response.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_StaleTimestamp_Returns401()
    {
        var payload = Envelope();

        var response = await PostAsync(payload, Signed(payload, at: _api.Time.GetUtcNow().AddMinutes(-6)));

        Assert.Equal(401, response.StatusCode);
        Assert.Contains("window", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_TimestampTooFarInFuture_Returns401()
    {
        var payload = Envelope();

        var response = await PostAsync(payload, Signed(payload, at: _api.Time.GetUtcNow().AddMinutes(6)));

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_SignedWithAnotherSecret_Returns401()
    {
        var payload = Envelope();

        var response = await PostAsync(payload, Signed(payload, secret: "whsec_" + Convert.ToBase64String(new byte[32])));

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_BodyChangedAfterSigning_Returns401()
    {
        var headers = Signed(Envelope());

        var response = await PostAsync(Envelope(data: TestRequests.Valid("otherbox")), headers);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_ReplayedId_Returns401AndSchedulesOnce()
    {
        var payload = Envelope();
        var headers = Signed(payload);

        var first = await PostAsync(payload, headers);
        var replay = await PostAsync(payload, headers);

        Assert.Equal(202, first.StatusCode);
        Assert.Equal(401, replay.StatusCode);
        Assert.Contains("already accepted", replay.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_DownstreamFailure_SendersRetryOfSameIdIsAccepted()
    {
        var payload = Envelope();
        var headers = Signed(payload);
        _api.Client.FailWith = new InvalidOperationException("task hub unavailable");

        var failed = await PostAsync(payload, headers);
        _api.Client.FailWith = null;
        var retried = await PostAsync(payload, headers);

        Assert.Equal(500, failed.StatusCode);
        Assert.Equal(202, retried.StatusCode);
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_WrongEventType_Returns400ForTypeAndSchedulesNothing()
    {
        var payload = Envelope(type: "something.else");

        var response = await PostAsync(payload, Signed(payload));

        Assert.Equal(400, response.StatusCode);
        Assert.Equal("webhook-type", response.Json.GetProperty("errors").GetProperty("type")[0].GetProperty("rule").GetString());
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_InvalidRequestInData_Returns400WithFieldErrors()
    {
        var data = TestRequests.Valid();
        data["sshPublicKey"] = "not a key";
        var payload = Envelope(data: data);

        var response = await PostAsync(payload, Signed(payload));

        Assert.Equal(400, response.StatusCode);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("sshPublicKey", out _));
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_NoSecretConfigured_RefusesEveryRequest()
    {
        await using var api = ApiTestContext.Create(s => s["Webhooks:SigningSecret"] = null);
        var payload = Envelope();
        var request = api.Request("POST", DockerVmRoutes.Webhook, payload, "application/json", Signed(payload));

        var response = await ApiTestContext.ExecuteAsync(await api.Handlers.ReceiveWebhookAsync(request, api.Client, default), request);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_NonNumericTimestamp_Returns401()
    {
        var payload = Envelope();
        var headers = Signed(payload);
        headers[InboundWebhookVerifier.TimestampHeader] = "yesterday";

        var response = await PostAsync(payload, headers);

        Assert.Equal(401, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_OversizedBody_Returns413WithoutVerifying()
    {
        var payload = new string(' ', DockerVmHttpHandlers.MaxWebhookPayloadChars + 1);

        var response = await PostAsync(payload, Signed(payload));

        Assert.Equal(413, response.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }
}
