using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Operations;

/// <summary>One check of a started ARM operation (a PUT or DELETE of any resource the workflow touches): a single
/// GET of its <c>Azure-AsyncOperation</c> URL (else <c>Location</c>, else the resource), never a wait. The
/// orchestration decides when to ask again, from the answer's <c>Retry-After</c> and its own backoff.</summary>
public sealed class GetArmOperationStatus(ArmClient arm) : TaskActivity<ArmOperationHandle, ArmOperationState>
{
    public override Task<ArmOperationState> RunAsync(TaskActivityContext context, ArmOperationHandle input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return AzureErrors.Call(() => new ArmOperationStatusClient(arm).GetAsync(input));
    }
}
