namespace DockerVm.Api.Http;

/// <summary>Body of a <c>DELETE /api/docker-vms/{id}</c> answer.</summary>
public sealed record DeprovisionResponse(string Id, string DeprovisionInstanceId, string StatusUrl, bool Duplicate);
