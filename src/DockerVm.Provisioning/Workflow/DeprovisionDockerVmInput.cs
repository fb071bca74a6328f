using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Workflow;

/// <param name="ProvisioningInstanceId">The provisioning instance whose resources go; the callback subject.</param>
/// <param name="ResourceIds">ARM ids in creation order; deleted in reverse order.</param>
/// <param name="SecretNames">Key Vault secret names to delete (and purge when the vault allows).</param>
public sealed record DeprovisionDockerVmInput(
    string ProvisioningInstanceId,
    IReadOnlyList<string> ResourceIds,
    IReadOnlyList<string> SecretNames,
    CallbackTarget? Callback);

public sealed record DeprovisionDockerVmResult
{
    public required bool Succeeded { get; init; }

    public IReadOnlyList<string> DeletedResourceIds { get; init; } = [];

    public IReadOnlyList<string> DeletedSecretNames { get; init; } = [];

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public CallbackDeliveryResult? Callback { get; init; }
}
