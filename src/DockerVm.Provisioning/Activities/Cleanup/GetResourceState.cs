using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
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
                return new GetResourceStateOutput(true, ProvisioningState(resource.Value.Data));
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
            {
                return new GetResourceStateOutput(false, null);
            }
        });

    /// <summary>Resource providers return <c>properties.provisioningState</c> (e.g. the Network spec's
    /// PublicIpAddressGet.json); the generic model's top-level <c>ProvisioningState</c> stays null for them.</summary>
    internal static string? ProvisioningState(GenericResourceData data)
    {
        if (data.Properties is { } properties)
        {
            using var json = JsonDocument.Parse(properties.ToMemory());
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("provisioningState", out var state) && state.ValueKind == JsonValueKind.String)
            {
                return state.GetString();
            }
        }

        return data.ProvisioningState;
    }
}
