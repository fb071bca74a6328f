using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Compute;

public sealed record StartVirtualMachineCreationInput(
    string ResourceGroup,
    string Location,
    string Name,
    string VmSize,
    VmImageReference Image,
    string AdminUsername,
    string SshPublicKey,
    string NetworkInterfaceId,
    string OsDiskName,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="Operation">The VM PUT ARM accepted; the orchestration waits for it.</param>
public sealed record StartVirtualMachineCreationOutput(string VmResourceId, ArmOperationHandle Operation);

/// <summary>Starts the VM PUT and returns as soon as ARM accepted it (<see cref="WaitUntil.Started"/>); the orchestrator
/// then checks the operation (<c>GetArmOperationStatus</c>) between durable timers. SSH key only, password login disabled;
/// the OS disk is deleted with the VM.</summary>
public sealed partial class StartVirtualMachineCreation(ArmClient arm, IOptions<AzureOptions> azure, ILogger<StartVirtualMachineCreation> logger)
    : TaskActivity<StartVirtualMachineCreationInput, StartVirtualMachineCreationOutput>
{
    public override Task<StartVirtualMachineCreationOutput> RunAsync(TaskActivityContext context, StartVirtualMachineCreationInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var data = BuildData(input);
            var group = arm.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(azure.Value.SubscriptionId, input.ResourceGroup));
            var vms = group.GetVirtualMachines();
            var id = VirtualMachineResource.CreateResourceIdentifier(azure.Value.SubscriptionId, input.ResourceGroup, input.Name).ToString();
            ArmOperationHandle started;
            try
            {
                var operation = await vms.CreateOrUpdateAsync(WaitUntil.Started, input.Name, data);
                started = ArmOperationHeaders.Handle(id, operation.GetRawResponse());
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // A retry after a lost response: ARM refuses a second PUT while the first is still creating the VM.
                // Only this instance's own VM counts as started (followed through its provisioningState); anything
                // else is a real conflict.
                if (!await IsOwnVmAsync(vms, input.Name, context.InstanceId))
                {
                    throw;
                }

                started = ArmOperationHandle.ByResource(id);
            }

            LogStarted(logger, context.InstanceId, id, input.VmSize);
            return new StartVirtualMachineCreationOutput(id, started);
        });

    /// <summary>The VM PUT body (the benchmark creates its VMs with the same shape).</summary>
    public static VirtualMachineData BuildData(StartVirtualMachineCreationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var data = new VirtualMachineData(new AzureLocation(input.Location))
        {
            HardwareProfile = new VirtualMachineHardwareProfile { VmSize = new VirtualMachineSizeType(input.VmSize) },
            StorageProfile = new VirtualMachineStorageProfile
            {
                ImageReference = new ImageReference
                {
                    Publisher = input.Image.Publisher,
                    Offer = input.Image.Offer,
                    Sku = input.Image.Sku,
                    Version = input.Image.Version,
                },
                OSDisk = new VirtualMachineOSDisk(DiskCreateOptionType.FromImage)
                {
                    Name = input.OsDiskName,
                    DeleteOption = DiskDeleteOptionType.Delete,
                    ManagedDisk = new VirtualMachineManagedDisk { StorageAccountType = StorageAccountType.StandardSsdLrs },
                },
            },
            OSProfile = new VirtualMachineOSProfile
            {
                ComputerName = input.Name,
                AdminUsername = input.AdminUsername,
                LinuxConfiguration = new LinuxConfiguration
                {
                    IsPasswordAuthenticationDisabled = true,
                    SshPublicKeys =
                    {
                        new SshPublicKeyConfiguration
                        {
                            Path = $"/home/{input.AdminUsername}/.ssh/authorized_keys",
                            KeyData = input.SshPublicKey,
                        },
                    },
                },
            },
            NetworkProfile = new VirtualMachineNetworkProfile
            {
                NetworkInterfaces = { new VirtualMachineNetworkInterfaceReference { Id = new ResourceIdentifier(input.NetworkInterfaceId), Primary = true } },
            },
        };
        foreach (var (key, value) in input.Tags)
        {
            data.Tags[key] = value;
        }

        return data;
    }

    private static async Task<bool> IsOwnVmAsync(VirtualMachineCollection vms, string name, string instanceId)
    {
        try
        {
            var vm = await vms.GetAsync(name);
            return vm.Value.Data.Tags.TryGetValue(WorkflowTags.InstanceId, out var owner) && owner == instanceId;
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2130, Level = LogLevel.Information, Message = "Instance {InstanceId}: ARM accepted the creation of VM {VmResourceId} ({VmSize})")]
    private static partial void LogStarted(ILogger logger, string instanceId, string vmResourceId, string vmSize);
}
