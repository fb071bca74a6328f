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

/// <summary>Runs the real provisioning activities in order (as the orchestrator does) up to a created VM.</summary>
internal static class ActivityChain
{
    public sealed record CreatedVm(DockerVmResourceNames Names, string VmResourceId, CreatePublicIpAddressOutput PublicIp, IReadOnlyDictionary<string, string> Tags);

    public static async Task<CreatedVm> CreateVmAsync(IServiceProvider services, string resourceGroup, string vmName, string instanceId)
    {
        var arm = services.GetRequiredService<ArmClient>();
        var azure = services.GetRequiredService<IOptions<AzureOptions>>();
        var context = new TestActivityContext(instanceId);
        var tags = WorkflowTags.ForResource(new Dictionary<string, string>(), instanceId);
        var names = new DockerVmResourceNames(resourceGroup, vmName);
        await new EnsureResourceGroup(arm, azure).RunAsync(context, new EnsureResourceGroupInput(resourceGroup, "westeurope", tags));
        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(context, new CreateNetworkSecurityGroupInput(resourceGroup, "westeurope", names.NetworkSecurityGroup, ["203.0.113.0/24"], 2376, tags));
        var ip = await new CreatePublicIpAddress(arm, azure).RunAsync(context, new CreatePublicIpAddressInput(resourceGroup, "westeurope", names.PublicIpAddress, names.DnsLabel, tags));
        var vnet = await new CreateVirtualNetwork(arm, azure).RunAsync(context, new CreateVirtualNetworkInput(resourceGroup, "westeurope", names.VirtualNetwork, tags));
        var nic = await new CreateNetworkInterface(arm, azure).RunAsync(context, new CreateNetworkInterfaceInput(resourceGroup, "westeurope", names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags));
        var vm = await new StartVirtualMachineCreation(arm, azure, NullLogger<StartVirtualMachineCreation>.Instance).RunAsync(context, new StartVirtualMachineCreationInput(
            resourceGroup, "westeurope", vmName, "Standard_B2s", ProvisionRequestValidator.DefaultImage, "azureuser", TestSpecs.SshKey, nic.ResourceId, names.OsDisk, tags));
        return new CreatedVm(names, vm.VmResourceId, ip, tags);
    }
}
