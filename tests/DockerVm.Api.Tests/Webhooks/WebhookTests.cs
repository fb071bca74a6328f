using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DockerVm.Api.Http;
using DockerVm.Api.Webhooks;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using Microsoft.Extensions.Primitives;
using static DockerVm.Api.Tests.Webhooks.WebhookRequests;

namespace DockerVm.Api.Tests.Webhooks;

public sealed class WebhookTests : IAsyncLifetime
{
    private const string Id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";

    private readonly ApiTestContext _api = ApiTestContext.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _api.DisposeAsync().AsTask();

    private Dictionary<string, string> Signed(string payload, string id = Id, DateTimeOffset? at = null, string secret = ApiTestContext.WebhookSecret) =>
        Headers(payload, id, at ?? _api.Time.GetUtcNow(), secret);

    private Task<HttpOutcome> PostAsync(string payload, IReadOnlyDictionary<string, string> headers, string contentType = "application/json") =>
        _api.PostAsync(payload, headers, contentType);

    [Fact]
    public async Task Webhook_ValidSignature_Returns202AndSchedulesLikeARequestWithoutKey()
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
    public async Task Webhook_RedeliveredUnderNewWebhookId_IsDuplicateOfTheFirst()
    {
        // A sender that lost the answer may send the event again as a new message: it must find the first host.
        var payload = Envelope();

        var first = await PostAsync(payload, Signed(payload, id: "msg_first"));
        var again = await PostAsync(payload, Signed(payload, id: "msg_second"));

        Assert.Equal(202, first.StatusCode);
        Assert.Equal(200, again.StatusCode);
        Assert.True(again.Json.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.Location, again.Location);
        Assert.Single(_api.Client.Scheduled);
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

    /// <summary>
    /// Standard Webhooks spec, "Webhook headers": webhook-signature is a space-delimited list (a sender rotating its
    /// secret signs with both); the consumer tries each until one matches and skips versions it does not verify.
    /// </summary>
    [Theory]
    [InlineData("{other} {valid}")]
    [InlineData("{valid} {other}")]
    [InlineData("{bogus} {valid}")]
    [InlineData("v1a,{ed25519} {valid}")]
    [InlineData("v2,anything {valid}")]
    [InlineData("no-comma {valid}")]
    [InlineData("v1,not-base64! {valid}")]
    [InlineData("{other}  {bogus}   {valid}")]
    public async Task Webhook_SignatureListWithOneValidV1_Returns202(string header)
    {
        var payload = Envelope();

        var response = await PostAsync(payload, Headers(payload, Id, _api.Time.GetUtcNow(), signature: SignatureList(header, payload)));

        Assert.Equal(202, response.StatusCode);
        Assert.Single(_api.Client.Scheduled);
    }

    [Theory]
    [InlineData("{bogus}")]
    [InlineData("{other} {bogus}")]
    [InlineData("v1a,{ed25519}")]
    [InlineData("v1a,{validBase64}")]
    [InlineData("v2,{validBase64} V1,{validBase64}")]
    [InlineData("v1,{validBase64Truncated}")]
    [InlineData("{validBase64}")]
    public async Task Webhook_SignatureListWithoutValidV1_Returns401(string header)
    {
        var payload = Envelope();

        var response = await PostAsync(payload, Headers(payload, Id, _api.Time.GetUtcNow(), signature: SignatureList(header, payload)));

        Assert.Equal(401, response.StatusCode);
        Assert.Contains("No signature", response.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_SignaturesInTwoHeaderFields_AnyFieldMayMatch()
    {
        var payload = Envelope();
        var request = _api.Request("POST", DockerVmRoutes.Webhook, payload, "application/json", Signed(payload));
        var valid = request.Headers[InboundWebhookVerifier.SignatureHeader].ToString();
        request.Headers[InboundWebhookVerifier.SignatureHeader] = new StringValues([Bogus(), valid]);

        var response = await ApiTestContext.ExecuteAsync(await _api.Handlers.ReceiveWebhookAsync(request, _api.Client, default), request);

        Assert.Equal(202, response.StatusCode);
    }

    /// <summary>README, "Signing secrets and their rotation", each step as the app runs after it.</summary>
    [Fact]
    public async Task Webhook_RotationProcedure_OldAcceptedThenOldAndNewThenOnlyNew()
    {
        var old = ApiTestContext.WebhookSecret;
        var @new = NewSecret();

        // Before, and after step 1 (the old version pinned as previous): in Azure the previous setting then resolves to the current secret.
        await using (var before = ApiTestContext.Create(s => s["Webhooks:PreviousSigningSecret"] = old))
        {
            Assert.Equal(202, (await before.PostSignedAsync("msg_before_old", old, "vm-before")).StatusCode);
            Assert.Equal(401, (await before.PostSignedAsync("msg_before_new", @new, "vm-before-new")).StatusCode);
        }

        // Step 2: the new secret is current, the old one previous: senders may switch at any moment.
        await using (var during = ApiTestContext.Create(s => { s["Webhooks:SigningSecret"] = @new; s["Webhooks:PreviousSigningSecret"] = old; }))
        {
            Assert.Equal(202, (await during.PostSignedAsync("msg_during_old", old, "vm-during-old")).StatusCode);
            Assert.Equal(202, (await during.PostSignedAsync("msg_during_new", @new, "vm-during-new")).StatusCode);
        }

        // Step 3: previous unpinned (it resolves to the current, new secret again), or removed: the old secret is refused.
        foreach (var previous in new[] { @new, null })
        {
            await using var after = ApiTestContext.Create(s => { s["Webhooks:SigningSecret"] = @new; s["Webhooks:PreviousSigningSecret"] = previous; });
            Assert.Equal(401, (await after.PostSignedAsync("msg_after_old", old, "vm-after-old")).StatusCode);
            Assert.Equal(202, (await after.PostSignedAsync("msg_after_new", @new, "vm-after-new")).StatusCode);
            Assert.Single(after.Client.Scheduled);
        }
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
    public async Task Webhook_AcceptedIdResignedWithAnotherBody_Returns401()
    {
        var first = Envelope();
        var other = Envelope(data: TestRequests.Valid("otherbox"));

        var accepted = await PostAsync(first, Signed(first));
        var reused = await PostAsync(other, Signed(other, at: _api.Time.GetUtcNow().AddSeconds(1)));

        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal(401, reused.StatusCode);
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_DuplicateAnswer_UsesTheIdUp()
    {
        var payload = Envelope();
        await PostAsync(payload, Signed(payload, id: "msg_first"));

        var duplicate = await PostAsync(payload, Signed(payload, id: "msg_duplicate"));
        var replay = await PostAsync(payload, Signed(payload, id: "msg_duplicate"));

        Assert.Equal(200, duplicate.StatusCode);
        Assert.Equal(401, replay.StatusCode);
    }

    [Fact]
    public async Task Webhook_RefusedWith400AfterVerification_SameIdFixedAndResignedIsAccepted()
    {
        var wrong = Envelope(type: "dockerhost.provision.requestd");
        var fixedPayload = Envelope();

        var refused = await PostAsync(wrong, Signed(wrong));
        var retried = await PostAsync(fixedPayload, Signed(fixedPayload, at: _api.Time.GetUtcNow().AddSeconds(30)));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(202, retried.StatusCode);
        Assert.Single(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_RefusedWith400_SameRequestAgainIsVerifiedAgainAndRefusedWith400()
    {
        var data = TestRequests.Valid();
        data["sshPublicKey"] = "not a key";
        var payload = Envelope(data: data);
        var headers = Signed(payload);

        var first = await PostAsync(payload, headers);
        var again = await PostAsync(payload, headers);

        Assert.Equal(400, first.StatusCode);
        Assert.Equal(400, again.StatusCode);
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_RefusedWith415_RetryWithJsonContentTypeIsAccepted()
    {
        var payload = Envelope();
        var headers = Signed(payload);

        var refused = await PostAsync(payload, headers, contentType: "text/plain");
        var retried = await PostAsync(payload, headers);

        Assert.Equal(415, refused.StatusCode);
        Assert.Equal(202, retried.StatusCode);
    }

    [Fact]
    public async Task Webhook_SameHostUnderAnotherKey_Returns409AndLeavesTheIdForACorrectedRetry()
    {
        var first = Envelope(data: WithKey(TestRequests.Valid(), "k1"));
        await PostAsync(first, Signed(first, id: "msg_first"));
        var conflicting = Envelope(data: WithKey(TestRequests.Valid(), "k2"));

        var refused = await PostAsync(conflicting, Signed(conflicting, id: "msg_second"));
        var corrected = Envelope(data: WithKey(TestRequests.Valid(), "k1"));
        var retried = await PostAsync(corrected, Signed(corrected, id: "msg_second"));

        Assert.Equal(409, refused.StatusCode);
        Assert.Equal(200, retried.StatusCode);
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
    public async Task Webhook_AcceptedIdOnceItsTimestampIsOutsideTheWindow_IsTakenAgain()
    {
        var payload = Envelope();
        var accepted = await PostAsync(payload, Signed(payload));

        // A late retry of the same message with a fresh timestamp: refused while the first timestamp could still pass...
        _api.Time.Advance(TimeSpan.FromMinutes(5));
        var early = await PostAsync(payload, Signed(payload));
        // ...taken once it cannot (tolerance + margin after it), and answered like any repeat of the request.
        _api.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var late = await PostAsync(payload, Signed(payload));

        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal(401, early.StatusCode);
        Assert.Equal(200, late.StatusCode);
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
    public async Task Webhook_InvalidRequestInData_Returns400NamingTheFieldFromTheDocumentRoot()
    {
        var data = TestRequests.Valid();
        data["sshPublicKey"] = "not a key";
        var payload = Envelope(data: data);

        var response = await PostAsync(payload, Signed(payload));

        Assert.Equal(400, response.StatusCode);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("data.sshPublicKey", out _));
        Assert.Empty(_api.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_NoSecretConfigured_RefusesEveryRequest()
    {
        await using var api = ApiTestContext.Create(s => s["Webhooks:SigningSecret"] = null);

        var response = await api.PostSignedAsync(Id);

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

    private static string Bogus() => "v1," + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Expands a header template: {valid} signed with the configured secret, {other} with another, {bogus} random.</summary>
    private string SignatureList(string template, string payload)
    {
        var valid = Signature(ApiTestContext.WebhookSecret, Id, _api.Time.GetUtcNow(), payload);
        var validBase64 = valid["v1,".Length..];
        return template
            .Replace("{validBase64Truncated}", validBase64[..^4], StringComparison.Ordinal)
            .Replace("{validBase64}", validBase64, StringComparison.Ordinal)
            .Replace("{valid}", valid, StringComparison.Ordinal)
            .Replace("{other}", Signature(NewSecret(), Id, _api.Time.GetUtcNow(), payload), StringComparison.Ordinal)
            .Replace("{bogus}", Bogus(), StringComparison.Ordinal)
            .Replace("{ed25519}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)), StringComparison.Ordinal);
    }

    private static JsonObject WithKey(JsonObject request, string key)
    {
        request["idempotencyKey"] = key;
        return request;
    }
}
