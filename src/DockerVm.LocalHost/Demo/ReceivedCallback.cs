using System.Text.Json.Nodes;

namespace DockerVm.LocalHost.Demo;

/// <summary>One POST the receiver got. <see cref="Error"/> says why verification failed.</summary>
public sealed record ReceivedCallback(bool Verified, string? WebhookId, string? Type, JsonNode? Body, string Payload, string? Error)
{
    public string ToJsonLine() => new JsonObject
    {
        ["verified"] = Verified,
        ["webhookId"] = WebhookId,
        ["type"] = Type,
        ["event"] = Body?.DeepClone(),
    }.ToJsonString();
}
