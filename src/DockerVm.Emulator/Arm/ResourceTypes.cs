using DockerVm.Emulator.Compute;
using DockerVm.Emulator.Network;

namespace DockerVm.Emulator.Arm;

/// <summary>The resource types the emulator serves.</summary>
internal static class ResourceTypes
{
    public static IEnumerable<ResourceType> All() =>
    [
        new NetworkSecurityGroupType(),
        new PublicIpAddressType(),
        new VirtualNetworkType(),
        new NetworkInterfaceType(),
        new VirtualMachineType(),
        new ExtensionType(),
        new DiskType(),
    ];
}
