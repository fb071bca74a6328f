using Azure;
using Azure.Core;
using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Cleanup;

public sealed record GetResourceStateInput(string ResourceId);

/// <param name="Exists">False once the resource is gone (404).</param>
public sealed record GetResourceStateOutput(bool Exists, string? ProvisioningState);

/// <summary>One poll of any ARM resource by id (used while deleting).</summary>
public sealed class GetResourceState(ArmClient arm) : TaskActivity<GetResourceStateInput, GetResourceStateOutput>
{
    public override Task<GetResourceStateOutput> RunAsync(TaskActivityContext context, GetResourceStateInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            try
            {
                var resource = await arm.GetGenericResource(new ResourceIdentifier(input.ResourceId)).GetAsync();
                return new GetResourceStateOutput(true, resource.Value.Data.ProvisioningState);
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
            {
                return new GetResourceStateOutput(false, null);
            }
        });
}
