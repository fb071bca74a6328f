using DockerVm.Provisioning.Requests;

namespace DockerVm.Api.Http;

/// <summary>
/// Payload of the inbound webhook (the Standard Webhooks envelope): <c>type</c> must be
/// <see cref="ProvisionRequestedType"/> and <c>data</c> is the same request the REST API takes.
/// </summary>
public sealed record InboundWebhookPayload
{
    public const string ProvisionRequestedType = "dockerhost.provision.requested";

    public string? Type { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public ProvisionDockerVmRequest? Data { get; init; }
}
