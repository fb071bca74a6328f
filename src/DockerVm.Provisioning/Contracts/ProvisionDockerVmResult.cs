using DockerVm.Provisioning.Orchestrations;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// Output of <see cref="ProvisionDockerVm"/>. A failure is a result too (<see cref="Succeeded"/> false) so that the
/// caller sees the ARM error code and the step. Carries Key Vault secret identifiers only, never key material.
/// </summary>
public sealed record ProvisionDockerVmResult
{
    public required bool Succeeded { get; init; }

    public string? VmResourceId { get; init; }

    public string? Fqdn { get; init; }

    public string? PublicIpAddress { get; init; }

    /// <summary><c>tcp://{fqdn}:{port}</c>.</summary>
    public string? DockerHost { get; init; }

    public string? DockerVersion { get; init; }

    public DockerSecretIdentifiers? Secrets { get; init; }

    /// <summary>ARM resource ids this instance created, in creation order (what deprovisioning deletes).
    /// Empty after a failure: compensation already deleted them.</summary>
    public IReadOnlyList<string> CreatedResourceIds { get; init; } = [];

    /// <summary>ARM (or workflow) error code, e.g. <c>QuotaExceeded</c>, <c>VmReadyTimeout</c>.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public ProvisioningStep? FailedStep { get; init; }

    /// <summary>What happened to the callback; null when the request asked for none.</summary>
    public CallbackDeliveryResult? Callback { get; init; }
}
