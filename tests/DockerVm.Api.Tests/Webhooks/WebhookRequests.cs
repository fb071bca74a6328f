using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DockerVm.Api.Http;
using DockerVm.Api.Webhooks;
using DockerVm.Testing;
using StandardWebhooks;

namespace DockerVm.Api.Tests.Webhooks;

/// <summary>Inbound webhooks as a Standard Webhooks sender makes them, posted to an app instance's handler.</summary>
internal static class WebhookRequests
{
    public static string Envelope(string? type = InboundWebhookPayload.ProvisionRequestedType, JsonNode? data = null) => new JsonObject
    {
        ["type"] = type,
        ["timestamp"] = "2026-11-27T12:00:00Z",
        ["data"] = data ?? TestRequests.Valid(),
    }.ToJsonString();

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>One <c>v1,…</c> signature, as <c>StandardWebhook.Sign</c> makes it.</summary>
    public static string Signature(string secret, string id, DateTimeOffset at, string payload) => new StandardWebhook(secret).Sign(id, at, payload);

    /// <summary>The three headers; <paramref name="signature"/> replaces the one made with <paramref name="secret"/>.</summary>
    public static Dictionary<string, string> Headers(string payload, string id, DateTimeOffset at, string secret = ApiTestContext.WebhookSecret, string? signature = null) => new()
    {
        [InboundWebhookVerifier.IdHeader] = id,
        [InboundWebhookVerifier.TimestampHeader] = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        [InboundWebhookVerifier.SignatureHeader] = signature ?? Signature(secret, id, at, payload),
    };

    public static async Task<HttpOutcome> PostAsync(
        this ApiTestContext api, string payload, IReadOnlyDictionary<string, string> headers, string contentType = "application/json")
    {
        var request = api.Request("POST", DockerVmRoutes.Webhook, payload, contentType, headers);
        return await ApiTestContext.ExecuteAsync(await api.Handlers.ReceiveWebhookAsync(request, api.Client, default), request);
    }

    /// <summary>A request for VM <paramref name="name"/> signed with <paramref name="secret"/> now, on that instance's clock.</summary>
    public static Task<HttpOutcome> PostSignedAsync(this ApiTestContext api, string id, string secret = ApiTestContext.WebhookSecret, string name = "devbox1")
    {
        var payload = Envelope(data: TestRequests.Valid(name));
        return api.PostAsync(payload, Headers(payload, id, api.Time.GetUtcNow(), secret));
    }
}
