using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask.Client;

namespace DockerVm.Provisioning.Application;

/// <summary>Folds a provisioning instance and its optional deprovisioning instance into one <see cref="DockerVmStatus"/>.</summary>
internal static class DockerVmStatusMapper
{
    public static DockerVmStatus Map(OrchestrationMetadata provisioning, OrchestrationMetadata? deprovisioning)
    {
        var spec = provisioning.SerializedInput is null ? null : provisioning.ReadInputAs<DockerVmSpec>();
        var result = provisioning.RuntimeStatus == OrchestrationRuntimeStatus.Completed && provisioning.SerializedOutput is not null
            ? provisioning.ReadOutputAs<ProvisionDockerVmResult>()
            : null;

        var status = new DockerVmStatus
        {
            InstanceId = provisioning.InstanceId,
            State = ProvisioningState(provisioning, result),
            CurrentStep = provisioning.IsRunning ? ReadStep(provisioning) : null,
            CreatedAt = provisioning.CreatedAt,
            LastUpdatedAt = provisioning.LastUpdatedAt,
            Name = spec?.Name,
            ResourceGroup = spec?.ResourceGroup,
            Location = spec?.Location,
            Host = result is { Succeeded: true }
                ? new DockerHostEndpoint(result.VmResourceId, result.Fqdn, result.PublicIpAddress, result.DockerHost, result.DockerVersion, result.Secrets)
                : null,
            Error = ErrorOf(provisioning, result?.Succeeded, result?.ErrorCode, result?.ErrorMessage, result?.FailedStep),
            Callback = result?.Callback,
        };

        if (deprovisioning is null)
        {
            return status;
        }

        var removal = deprovisioning.RuntimeStatus == OrchestrationRuntimeStatus.Completed && deprovisioning.SerializedOutput is not null
            ? deprovisioning.ReadOutputAs<DeprovisionDockerVmResult>()
            : null;
        var state = deprovisioning.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed when removal is { Succeeded: true } => DockerVmState.Deprovisioned,
            OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
                => DockerVmState.DeprovisionFailed,
            _ => DockerVmState.Deprovisioning,
        };
        return status with
        {
            State = state,
            CurrentStep = deprovisioning.IsRunning ? ReadStep(deprovisioning) : null,
            LastUpdatedAt = deprovisioning.LastUpdatedAt,
            Host = state == DockerVmState.Deprovisioned ? null : status.Host,
            Error = ErrorOf(deprovisioning, removal?.Succeeded, removal?.ErrorCode, removal?.ErrorMessage, null) ?? status.Error,
            Callback = removal?.Callback ?? status.Callback,
            DeprovisionInstanceId = deprovisioning.InstanceId,
        };
    }

    private static DockerVmState ProvisioningState(OrchestrationMetadata metadata, ProvisionDockerVmResult? result) =>
        metadata.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Pending => DockerVmState.Pending,
            OrchestrationRuntimeStatus.Completed when result is { Succeeded: true } => DockerVmState.Succeeded,
            OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
                => DockerVmState.Failed,
            _ => DockerVmState.Provisioning,
        };

    private static ProvisioningStep? ReadStep(OrchestrationMetadata metadata) =>
        metadata.SerializedCustomStatus is null ? null : metadata.ReadCustomStatusAs<WorkflowProgress>()?.Step;

    private static DockerVmError? ErrorOf(
        OrchestrationMetadata metadata, bool? succeeded, string? code, string? message, ProvisioningStep? step) =>
        metadata.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Completed when succeeded is false =>
                new DockerVmError(code ?? "Unknown", message ?? "The workflow failed.", step),
            OrchestrationRuntimeStatus.Failed =>
                new DockerVmError("WorkflowFailed", metadata.FailureDetails?.ErrorMessage ?? "The workflow failed.", step),
            OrchestrationRuntimeStatus.Terminated =>
                new DockerVmError("Terminated", "The workflow was terminated.", step),
            _ => null,
        };
}
