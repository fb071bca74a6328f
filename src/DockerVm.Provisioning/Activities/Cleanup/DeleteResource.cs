using Azure;
using Azure.Core;
using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Cleanup;

public sealed record DeleteResourceInput(string ResourceId);

/// <param name="AlreadyGone">True when the resource did not exist (a retried or repeated deletion).</param>
/// <param name="ReservedMessage">Set when Azure refused because the NIC is still reserved for its deleted VM
/// (<see cref="AzureErrors.NicReservedForAnotherVm"/>): nothing was deleted, the orchestrator asks again later.</param>
/// <param name="Operation">The DELETE ARM accepted (202 with Azure-AsyncOperation/Location, or a final 200/204); the
/// orchestration waits for it before deleting what the resource depended on.</param>
public sealed record DeleteResourceOutput(bool AlreadyGone, string? ReservedMessage = null, ArmOperationHandle? Operation = null);

/// <summary>Starts deleting one ARM resource (<see cref="WaitUntil.Started"/>) and returns the operation; the
/// orchestrator checks it (<c>GetArmOperationStatus</c>) on durable timers. A NIC still reserved for its deleted VM is
/// reported, not thrown: waiting 180 s is the orchestrator's job (durable timers), not an activity's.</summary>
public sealed partial class DeleteResource(ArmClient arm, ILogger<DeleteResource> logger) : TaskActivity<DeleteResourceInput, DeleteResourceOutput>
{
    public override Task<DeleteResourceOutput> RunAsync(TaskActivityContext context, DeleteResourceInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            try
            {
                var operation = await arm.GetGenericResource(new ResourceIdentifier(input.ResourceId)).DeleteAsync(WaitUntil.Started);
                LogDeleting(logger, context.InstanceId, input.ResourceId);
                return new DeleteResourceOutput(AlreadyGone: false, Operation: ArmOperationHeaders.Handle(input.ResourceId, operation.GetRawResponse(), isDelete: true));
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
            {
                return new DeleteResourceOutput(AlreadyGone: true);
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNicReserved(ex))
            {
                return new DeleteResourceOutput(AlreadyGone: false, ReservedMessage: AzureErrors.ServiceMessage(ex));
            }
        });

    [LoggerMessage(EventId = 2160, Level = LogLevel.Information, Message = "Instance {InstanceId}: deleting {ResourceId}")]
    private static partial void LogDeleting(ILogger logger, string instanceId, string resourceId);
}
