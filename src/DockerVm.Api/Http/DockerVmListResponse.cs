using DockerVm.Provisioning.Application;

namespace DockerVm.Api.Http;

/// <summary>One page of <c>GET /api/docker-vms</c>; follow <see cref="Next"/> until it is null.</summary>
public sealed record DockerVmListResponse(IReadOnlyList<DockerVmStatus> Items, string? ContinuationToken, string? Next);
