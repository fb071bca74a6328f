using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Application;

/// <param name="DockerHost"><c>tcp://{fqdn}:{port}</c>, the value for <c>DOCKER_HOST</c>.</param>
public sealed record DockerHostEndpoint(
    string? VmResourceId,
    string? Fqdn,
    string? PublicIpAddress,
    string? DockerHost,
    string? DockerVersion,
    DockerSecretIdentifiers? Secrets);
