using Azure;
using Azure.Core;
using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Cleanup;

public sealed record DeleteResourceInput(string ResourceId);

/// <param name="AlreadyGone">True when the resource did not exist (a retried or repeated deletion).</param>
public sealed record DeleteResourceOutput(bool AlreadyGone);

/// <summary>Starts deleting one ARM resource (<see cref="WaitUntil.Started"/>); the orchestrator polls
/// <see cref="GetResourceState"/> until it is gone before deleting what it depended on.</summary>
public sealed partial class DeleteResource(ArmClient arm, ILogger<DeleteResource> logger) : TaskActivity<DeleteResourceInput, DeleteResourceOutput>
{
    public override Task<DeleteResourceOutput> RunAsync(TaskActivityContext context, DeleteResourceInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            try
            {
                await arm.GetGenericResource(new ResourceIdentifier(input.ResourceId)).DeleteAsync(WaitUntil.Started);
                LogDeleting(logger, context.InstanceId, input.ResourceId);
                return new DeleteResourceOutput(AlreadyGone: false);
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
            {
                return new DeleteResourceOutput(AlreadyGone: true);
            }
        });

    [LoggerMessage(EventId = 2160, Level = LogLevel.Information, Message = "Instance {InstanceId}: deleting {ResourceId}")]
    private static partial void LogDeleting(ILogger logger, string instanceId, string resourceId);
}
