using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Api.Http;

/// <summary>Body of a <c>POST /api/docker-vms</c> answer.</summary>
/// <param name="Id">Instance id: the id of the status resource.</param>
/// <param name="StatusUrl">Where to poll (also in <c>Location</c>).</param>
/// <param name="Duplicate">True when the request matched an existing instance and nothing new was started.</param>
public sealed record SubmitResponse(string Id, string StatusUrl, bool Duplicate);

/// <summary>Body of a <c>DELETE /api/docker-vms/{id}</c> answer.</summary>
public sealed record DeprovisionResponse(string Id, string DeprovisionInstanceId, string StatusUrl, bool Duplicate);

/// <summary>One page of <c>GET /api/docker-vms</c>; follow <see cref="Next"/> until it is null.</summary>
public sealed record DockerVmListResponse(IReadOnlyList<DockerVmStatus> Items, string? ContinuationToken, string? Next);

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
