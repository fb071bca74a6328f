using Azure.ResourceManager;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Infrastructure;

/// <summary>Runs the real provisioning activities in order (as the orchestrator does) up to a created VM; with the
/// emulator's network operations instant, each PUT is done when the next one needs it.</summary>
internal static class ActivityChain
{
    public sealed record CreatedVm(DockerVmResourceNames Names, string VmResourceId, CreatedIp PublicIp, IReadOnlyDictionary<string, string> Tags, ArmOperationHandle VmOperation);

    public sealed record CreatedIp(string ResourceId, string IpAddress, string Fqdn);

    public static async Task<CreatedVm> CreateVmAsync(IServiceProvider services, string resourceGroup, string vmName, string instanceId)
    {
        var arm = services.GetRequiredService<ArmClient>();
        var azure = services.GetRequiredService<IOptions<AzureOptions>>();
        var context = new TestActivityContext(instanceId);
        var tags = WorkflowTags.ForResource(new Dictionary<string, string>(), instanceId);
        var names = new DockerVmResourceNames(resourceGroup, vmName);
        await EmulatorClients.CreateResourceGroupAsync(arm, azure.Value.SubscriptionId, resourceGroup);
        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(context, new CreateNetworkSecurityGroupInput(resourceGroup, "westeurope", names.NetworkSecurityGroup, ["203.0.113.0/24"], 2376, tags));
        var ip = await new CreatePublicIpAddress(arm, azure).RunAsync(context, new CreatePublicIpAddressInput(resourceGroup, "westeurope", names.PublicIpAddress, names.DnsLabel, tags));
        var vnet = await new CreateVirtualNetwork(arm, azure).RunAsync(context, new CreateVirtualNetworkInput(resourceGroup, "westeurope", names.VirtualNetwork, tags));
        var nic = await new CreateNetworkInterface(arm, azure).RunAsync(context, new CreateNetworkInterfaceInput(resourceGroup, "westeurope", names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags));
        var vm = await new StartVirtualMachineCreation(arm, azure, NullLogger<StartVirtualMachineCreation>.Instance).RunAsync(context, new StartVirtualMachineCreationInput(
            resourceGroup, "westeurope", vmName, "Standard_B2s", ProvisionRequestValidator.DefaultImage, "azureuser", TestSpecs.SshKey, nic.ResourceId, names.OsDisk, tags));
        var address = await new GetPublicIpAddress(arm).RunAsync(context, new GetPublicIpAddressInput(ip.ResourceId));
        return new CreatedVm(names, vm.VmResourceId, new CreatedIp(ip.ResourceId, address.IpAddress!, address.Fqdn!), tags, vm.Operation);
    }
}
