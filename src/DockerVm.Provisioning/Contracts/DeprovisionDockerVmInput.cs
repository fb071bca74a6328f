using DockerVm.Provisioning.Configuration;

namespace DockerVm.Provisioning.Contracts;

/// <param name="ProvisioningInstanceId">The provisioning instance whose resources go; the callback subject.</param>
/// <param name="ResourceIds">ARM ids in creation order; deleted in reverse order.</param>
/// <param name="SecretNames">Key Vault secret names to delete (and purge when the vault allows).</param>
public sealed record DeprovisionDockerVmInput(
    string ProvisioningInstanceId,
    IReadOnlyList<string> ResourceIds,
    IReadOnlyList<string> SecretNames,
    CallbackTarget? Callback)
{
    /// <summary>Workflow timing taken when deprovisioning was requested; null in instances started before it
    /// travelled in the input (they read it through the <c>GetWorkflowSettings</c> activity).</summary>
    public WorkflowSettings? Settings { get; init; }
}
