using DockerVm.Provisioning.Activities.Configuration;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>Deletes a Docker host: its resources in three stages (the VM with its OS disk, then its NIC, then NSG,
/// public IP and VNet at once; <see cref="ResourceCleanup"/>), then its Key Vault secrets (deleted and purged when the
/// vault allows), then calls back <c>deprovisioned</c>.</summary>
public sealed partial class DeprovisionDockerVm : TaskOrchestrator<DeprovisionDockerVmInput, DeprovisionDockerVmResult>
{
    public override async Task<DeprovisionDockerVmResult> RunAsync(TaskOrchestrationContext context, DeprovisionDockerVmInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var settings = input.Settings ?? await context.CallActivityAsync<WorkflowSettings>(nameof(GetWorkflowSettings));
        var logger = context.CreateReplaySafeLogger<DeprovisionDockerVm>();
        var deleted = new List<string>();
        DeprovisionDockerVmResult result;
        try
        {
            context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.DeletingResources));
            await ResourceCleanup.DeleteResourcesAsync(context, input.ResourceIds, settings, deleted);
            context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.DeletingSecrets));
            var secrets = await ResourceCleanup.DeleteSecretsAsync(context, input.SecretNames, settings);
            result = new DeprovisionDockerVmResult { Succeeded = true, DeletedResourceIds = deleted, DeletedSecretNames = secrets.Deleted };
            LogDeprovisioned(logger, context.InstanceId, deleted.Count, secrets.Deleted.Count);
        }
        catch (TaskFailedException ex)
        {
            var (code, message) = WorkflowSteps.Describe(ex);
            result = new DeprovisionDockerVmResult { Succeeded = false, DeletedResourceIds = deleted, ErrorCode = code, ErrorMessage = message };
            LogDeprovisionFailed(logger, context.InstanceId, code);
        }
        catch (WorkflowStepFailedException ex)
        {
            result = new DeprovisionDockerVmResult { Succeeded = false, DeletedResourceIds = deleted, ErrorCode = ex.ErrorCode, ErrorMessage = ex.Message };
            LogDeprovisionFailed(logger, context.InstanceId, ex.ErrorCode);
        }

        var hostEvent = new DockerHostEvent
        {
            Type = result.Succeeded ? DockerHostEventType.Deprovisioned : DockerHostEventType.Failed,
            InstanceId = input.ProvisioningInstanceId,

            // Unique per deprovisioning run, so its events never share an id with the provisioning run's.
            ExecutionId = context.NewGuid().ToString("N"),
            OccurredAt = context.CurrentUtcDateTime,
            ErrorCode = result.ErrorCode,
            ErrorMessage = result.ErrorMessage,
        };
        result = result with { Callback = await CallbackNotification.NotifyAsync(context, input.Callback, hostEvent, settings.TimerResolution) };
        context.SetCustomStatus(new WorkflowProgress(result.Succeeded ? ProvisioningStep.Completed : ProvisioningStep.Failed));
        return result;
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Instance {InstanceId}: deleted {ResourceCount} resources and {SecretCount} secrets")]
    private static partial void LogDeprovisioned(ILogger logger, string instanceId, int resourceCount, int secretCount);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Instance {InstanceId}: deprovisioning failed with {ErrorCode}")]
    private static partial void LogDeprovisionFailed(ILogger logger, string instanceId, string errorCode);
}
