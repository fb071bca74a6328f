namespace DockerVm.Provisioning.Application;

/// <param name="ContinuationToken">Pass back to get the next page; null on the last page.</param>
public sealed record DockerVmStatusPage(IReadOnlyList<DockerVmStatus> Items, string? ContinuationToken);
