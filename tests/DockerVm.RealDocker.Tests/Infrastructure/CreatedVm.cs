using DockerVm.Provisioning.Contracts;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>A VM the workflow's activities created, with what the later steps need.</summary>
internal sealed record CreatedVm(
    DockerVmResourceNames Names, string VmResourceId, string PublicIp, string Fqdn, TestActivityContext Context, IReadOnlyDictionary<string, string> Tags);
