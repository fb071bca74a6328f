using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Network;

/// <summary>
/// Microsoft.Network/networkInterfaces: references (subnet, public IP, NSG) must exist in the same region. After the VM
/// using a NIC is deleted, Azure keeps the NIC reserved for that VM for a while (180 s): deleting it or attaching it to
/// another VM answers 400 <c>NicReservedForAnotherVm</c> until then (<see cref="ReservedError"/>).
/// </summary>
internal sealed class NetworkInterfaceType : NetworkResourceType
{
    public const string Type = "Microsoft.Network/networkInterfaces";

    /// <summary>Azure's error code for a NIC still reserved for a deleted VM.</summary>
    public const string ReservedCode = "NicReservedForAnotherVm";

    /// <summary>Reservations per stored NIC (a PUT replaces the stored object, <see cref="Prepare"/> carries it over);
    /// held here rather than in the document because Azure does not show it in the NIC's properties.</summary>
    private readonly ConditionalWeakTable<ArmResource, NicReservation> _reservations = new();

    public override string TypeName => "networkInterfaces";

    public override void Prepare(PutContext put)
    {
        var properties = Begin(put);
        var rt = put.Runtime;
        var id = put.Resource.Id;
        var location = put.Resource.Location;
        var configurations = new JsonArray();
        var requested = properties["ipConfigurations"] as JsonArray ?? [];
        if (requested.Count == 0)
        {
            throw AzureErrorException.BadRequest("NetworkInterfaceMustHaveAtLeastOneIpConfiguration", $"Network interface {id} must have at least one IP configuration.");
        }

        var primaryCount = 0;
        foreach (var node in requested)
        {
            var name = (string?)node?["name"] ?? "ipconfig1";
            var configuration = (JsonObject)(node?["properties"]?.DeepClone() ?? new JsonObject());
            var configurationId = $"{id}/ipConfigurations/{name}";
            var subnetId = (string?)configuration["subnet"]?["id"]
                ?? throw AzureErrorException.BadRequest("InvalidRequestFormat", $"Cannot parse the request: ipConfiguration {configurationId} has no subnet.");
            var vnetId = subnetId[..Math.Max(0, subnetId.LastIndexOf("/subnets/", StringComparison.OrdinalIgnoreCase))];
            var vnet = rt.Store.Find(vnetId);
            var subnet = VirtualNetworkType.FindSubnet(rt, subnetId);
            if (vnet is null || subnet is null || !string.Equals(vnet.Location, location, StringComparison.OrdinalIgnoreCase))
            {
                throw MissingReference(subnetId, id);
            }

            configuration["subnet"] = new JsonObject { ["id"] = (string?)subnet["id"] };
            if ((string?)configuration["publicIPAddress"]?["id"] is { } publicIpId)
            {
                var publicIp = rt.Store.Find(publicIpId);
                if (publicIp is null || publicIp.Deleting || !string.Equals(publicIp.Location, location, StringComparison.OrdinalIgnoreCase))
                {
                    throw MissingReference(publicIpId, id);
                }

                var holder = (string?)publicIp.Properties["ipConfiguration"]?["id"];
                if (holder is not null && !holder.StartsWith(id + "/", StringComparison.OrdinalIgnoreCase))
                {
                    throw AzureErrorException.BadRequest("PublicIPAddressInUse", $"Resource {publicIpId} is already in use by {holder}. A public IP address can be associated with only one IP configuration.");
                }

                configuration["publicIPAddress"] = new JsonObject { ["id"] = publicIp.Id };
            }

            var primary = (bool?)configuration["primary"] ?? requested.Count == 1;
            primaryCount += primary ? 1 : 0;
            configuration["primary"] = primary;
            configuration["privateIPAllocationMethod"] = (string?)configuration["privateIPAllocationMethod"] ?? "Dynamic";
            configuration["privateIPAddressVersion"] = "IPv4";
            configuration["privateIPAddress"] = (string?)configuration["privateIPAddress"]
                ?? ExistingPrivateAddress(put.Existing, name)
                ?? NextPrivateAddress(rt, subnet);
            configuration.Remove("provisioningState");
            configurations.Add(Child(id, "ipConfigurations", $"{Type}/ipConfigurations", name, configuration));
        }

        if (primaryCount == 0)
        {
            // Code (sic) and text as Azure answers several configurations with none primary (Azure/azure-sdk-for-go#259);
            // the spec's NetworkInterfaceCreate.json sends such a body, its example omitting what the service requires.
            throw AzureErrorException.BadRequest(
                "NetworkInterfaceMustHaveOneOneIPConfigAsPrimary",
                $"Network Interface {put.Resource.Name} specifies multiple IPConfigurations but none of the IPConfigurations is specified as Primary.");
        }

        if (primaryCount != 1)
        {
            throw AzureErrorException.BadRequest("NetworkInterfaceMustHaveOnePrimaryIpConfiguration", $"Network interface {id} must have exactly one primary IP configuration.");
        }

        if ((string?)properties["networkSecurityGroup"]?["id"] is { } nsgId)
        {
            var nsg = rt.Store.Find(nsgId);
            if (nsg is null || !string.Equals(nsg.Location, location, StringComparison.OrdinalIgnoreCase))
            {
                throw MissingReference(nsgId, id);
            }

            properties["networkSecurityGroup"] = new JsonObject { ["id"] = nsg.Id };
        }

        properties["ipConfigurations"] = configurations;
        if (put.Existing is not null && _reservations.TryGetValue(put.Existing, out var reservation))
        {
            _reservations.AddOrUpdate(put.Resource, reservation);
        }

        properties["nicType"] = "Standard";
        properties["enableAcceleratedNetworking"] ??= false;
        properties["enableIPForwarding"] ??= false;
        properties["dnsSettings"] ??= new JsonObject { ["dnsServers"] = new JsonArray(), ["appliedDnsServers"] = new JsonArray() };
        properties["macAddress"] = (string?)put.Existing?.Properties["macAddress"] ?? MacAddress();
        if (put.Existing?.Properties["virtualMachine"] is JsonNode vm)
        {
            properties["virtualMachine"] = vm.DeepClone();
        }
        else
        {
            properties.Remove("virtualMachine");
        }

        // Re-point public IP back-references: release the old ones, claim the new ones.
        ReleasePublicIps(rt, id);
        foreach (var configuration in configurations.OfType<JsonObject>())
        {
            if ((string?)configuration["properties"]?["publicIPAddress"]?["id"] is { } publicIpId && rt.Store.Find(publicIpId) is { } publicIp)
            {
                publicIp.Properties["ipConfiguration"] = new JsonObject { ["id"] = (string?)configuration["id"] };
            }
        }
    }

    /// <summary>Real-Docker mode: an NSG attached or detached reaches the packet filter of the VM's sandbox.</summary>
    public override AzureError? Provision(ArmRuntime runtime, ArmResource resource)
    {
        NsgPacketFilter.Refresh(runtime);
        return null;
    }

    public override void EnsureDeletable(ArmRuntime runtime, ArmResource resource)
    {
        if ((string?)resource.Properties["virtualMachine"]?["id"] is { } vmId && runtime.Store.Find(vmId) is not null)
        {
            throw AzureErrorException.Conflict(
                "NicInUse",
                $"Network Interface {resource.Id} is used by existing resource {vmId}. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.");
        }

        if (ReservedError(runtime, resource, forVmId: null) is { } reserved)
        {
            throw reserved;
        }
    }

    /// <summary>Reserves <paramref name="nic"/> for the deleted VM <paramref name="vmId"/> for
    /// <see cref="Hosting.EmulatorOptions.NicReservation"/> (nothing when that is zero).</summary>
    public static void Reserve(ArmRuntime runtime, ArmResource nic, string vmId)
    {
        var period = runtime.Options.NicReservation;
        if (period > TimeSpan.Zero && runtime.FindType(Type) is NetworkInterfaceType type)
        {
            type._reservations.AddOrUpdate(nic, new NicReservation(vmId, runtime.Now + period));
        }
    }

    /// <summary>
    /// The 400 Azure answers while <paramref name="nic"/> is reserved for a deleted VM other than
    /// <paramref name="forVmId"/> (null: a delete), else null. Code and text as Azure sends them on a NIC DELETE right
    /// after a VM delete (gardenlinux/gardenlinux#4133, microsoft/AzureTRE#4511, cloudfoundry/bosh-azure-cpi-release#366)
    /// and on a VM create that reuses the NIC (taskcluster/taskcluster#7196); the text says 180 seconds even when the
    /// emulator's reservation is shorter.
    /// </summary>
    public static AzureErrorException? ReservedError(ArmRuntime runtime, ArmResource nic, string? forVmId)
    {
        if (runtime.FindType(Type) is not NetworkInterfaceType type || !type._reservations.TryGetValue(nic, out var reservation))
        {
            return null;
        }

        if (runtime.Now >= reservation.Until)
        {
            type._reservations.Remove(nic);
            return null;
        }

        if (forVmId is not null && string.Equals(forVmId, reservation.VmId, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return AzureErrorException.BadRequest(
            ReservedCode,
            $"Nic(s) in request is reserved for another Virtual Machine for 180 seconds. Please provide another nic(s) or retry after 180 seconds. Reserved VM: {reservation.VmId}");
    }

    public override void Deleted(ArmRuntime runtime, ArmResource resource) => ReleasePublicIps(runtime, resource.Id);

    /// <summary>The public IP addresses attached to a NIC (for the VM's Docker daemon).</summary>
    public static IEnumerable<ArmResource> PublicIps(ArmRuntime runtime, ArmResource nic)
    {
        foreach (var configuration in (nic.Properties["ipConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)configuration["properties"]?["publicIPAddress"]?["id"] is { } id && runtime.Store.Find(id) is { } publicIp)
            {
                yield return publicIp;
            }
        }
    }

    private static void ReleasePublicIps(ArmRuntime runtime, string nicId)
    {
        foreach (var publicIp in OfType(runtime, PublicIpAddressType.Type))
        {
            var holder = (string?)publicIp.Properties["ipConfiguration"]?["id"];
            if (holder is not null && holder.StartsWith(nicId + "/", StringComparison.OrdinalIgnoreCase))
            {
                publicIp.Properties.Remove("ipConfiguration");
            }
        }
    }

    private static string? ExistingPrivateAddress(ArmResource? existing, string configurationName) =>
        (existing?.Properties["ipConfigurations"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(c => string.Equals((string?)c["name"], configurationName, StringComparison.OrdinalIgnoreCase))
            .Select(c => (string?)c["properties"]?["privateIPAddress"])
            .FirstOrDefault();

    /// <summary>Azure reserves the first four addresses and the last one of every subnet.</summary>
    private static string NextPrivateAddress(ArmRuntime runtime, JsonObject subnet)
    {
        var subnetId = (string?)subnet["id"];
        if (!Cidr.TryParse((string?)subnet["properties"]?["addressPrefix"] ?? string.Empty, out var range))
        {
            throw AzureErrorException.BadRequest("InvalidAddressPrefixFormat", $"Subnet {subnetId} has no valid address prefix.");
        }

        var used = OfType(runtime, Type)
            .SelectMany(n => (n.Properties["ipConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
            .Where(c => string.Equals((string?)c["properties"]?["subnet"]?["id"], subnetId, StringComparison.OrdinalIgnoreCase))
            .Select(c => (string?)c["properties"]?["privateIPAddress"])
            .Where(a => a is not null)
            .Select(a => Cidr.ToUInt(a!))
            .ToHashSet();
        for (var address = range.First + 4; address < range.Last; address++)
        {
            if (!used.Contains(address))
            {
                return Cidr.Format(address);
            }
        }

        throw AzureErrorException.BadRequest("SubnetIsFull", $"Subnet {subnetId} has no more available IP addresses.");
    }

    private static string MacAddress()
    {
        var bytes = Guid.NewGuid().ToByteArray();
        return $"00-0D-3A-{bytes[0]:X2}-{bytes[1]:X2}-{bytes[2]:X2}";
    }
}
