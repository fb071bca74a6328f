namespace DockerVm.Api.Http;

/// <summary>Body of a <c>POST /api/docker-vms</c> answer.</summary>
/// <param name="Id">Instance id: the id of the status resource.</param>
/// <param name="StatusUrl">Where to poll (also in <c>Location</c>).</param>
/// <param name="Duplicate">True when the request matched an existing instance and nothing new was started.</param>
public sealed record SubmitResponse(string Id, string StatusUrl, bool Duplicate);
