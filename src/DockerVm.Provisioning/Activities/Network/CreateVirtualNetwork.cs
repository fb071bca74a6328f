using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Network;

public sealed record CreateVirtualNetworkInput(
    string ResourceGroup,
    string Location,
    string Name,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="Operation">The PUT ARM accepted; the orchestration waits for it.</param>
public sealed record CreateVirtualNetworkOutput(string ResourceId, string SubnetId, ArmOperationHandle Operation);

/// <summary>Starts the PUT of a VNet of its own per Docker host (10.0.0.0/16, subnet 10.0.0.0/24): nothing shared to clean up.</summary>
public sealed class CreateVirtualNetwork(ArmClient arm, IOptions<AzureOptions> azure)
    : TaskActivity<CreateVirtualNetworkInput, CreateVirtualNetworkOutput>
{
    public override async Task<CreateVirtualNetworkOutput> RunAsync(TaskActivityContext context, CreateVirtualNetworkInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = NetworkResources.Id(azure.Value.SubscriptionId, input.ResourceGroup, "virtualNetworks", input.Name);
        var properties = new
        {
            addressSpace = new { addressPrefixes = new[] { "10.0.0.0/16" } },
            subnets = new[] { new { name = DockerVmResourceNames.Subnet, properties = new { addressPrefix = "10.0.0.0/24" } } },
        };
        var operation = await NetworkResources.StartPutAsync(arm, id, input.Location, input.Tags, properties);
        return new CreateVirtualNetworkOutput(id, $"{id}/subnets/{DockerVmResourceNames.Subnet}", operation);
    }
}
