using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Network;

public sealed record CreateNetworkInterfaceInput(
    string ResourceGroup,
    string Location,
    string Name,
    string SubnetId,
    string PublicIpAddressId,
    string NetworkSecurityGroupId,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="Operation">The PUT ARM accepted; the orchestration waits for it.</param>
public sealed record CreateNetworkInterfaceOutput(string ResourceId, ArmOperationHandle Operation);

/// <summary>Starts the NIC's PUT: in the subnet, with the public IP and the NSG attached.</summary>
public sealed class CreateNetworkInterface(ArmClient arm, IOptions<AzureOptions> azure)
    : TaskActivity<CreateNetworkInterfaceInput, CreateNetworkInterfaceOutput>
{
    public override async Task<CreateNetworkInterfaceOutput> RunAsync(TaskActivityContext context, CreateNetworkInterfaceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = NetworkResources.Id(azure.Value.SubscriptionId, input.ResourceGroup, "networkInterfaces", input.Name);
        var properties = new
        {
            ipConfigurations = new[]
            {
                new
                {
                    name = "ipconfig1",
                    properties = new
                    {
                        privateIPAllocationMethod = "Dynamic",
                        subnet = new { id = input.SubnetId },
                        publicIPAddress = new { id = input.PublicIpAddressId },
                    },
                },
            },
            networkSecurityGroup = new { id = input.NetworkSecurityGroupId },
        };
        var operation = await NetworkResources.StartPutAsync(arm, id, input.Location, input.Tags, properties);
        return new CreateNetworkInterfaceOutput(id, operation);
    }
}
