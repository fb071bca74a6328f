using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Network;

/// <summary>
/// Decides, as Azure does, whether an inbound TCP connection reaches a VM: the NSGs of its subnet and its NIC each
/// evaluate their inbound rules by priority, user rules then the default ones (AllowVnetInBound for the VNet's address
/// space, AllowAzureLoadBalancerInBound, DenyAllInBound); the first match decides and both NSGs must allow
/// (learn.microsoft.com, "How network security groups filter network traffic"). Rules are read from
/// <c>sourceAddressPrefix</c> and <c>sourceAddressPrefixes</c> alike (and the destination/port equivalents).
/// </summary>
internal static class NsgEvaluator
{
    private static readonly IPAddress AzureLoadBalancer = IPAddress.Parse("168.63.129.16");

    /// <summary>Whether <paramref name="source"/> may open a TCP connection to <paramref name="destination"/> (the VM's
    /// public address and port) on the VM that owns extension <paramref name="extensionId"/>. Unknown VMs are closed.</summary>
    public static bool Admits(ArmRuntime runtime, string extensionId, IPEndPoint source, IPEndPoint destination)
    {
        lock (runtime.Store.Gate)
        {
            if (runtime.Store.Find(extensionId) is not { ParentId: { } vmId } || runtime.Store.Find(vmId) is not { } vm
                || FindInbound(runtime, vm, destination.Address) is not { } path)
            {
                return false;
            }

            var target = new Target(source, destination.Port, path.PrivateIp, path.VnetSpace);
            return path.Nsgs.All(nsg => nsg is not null && Allows(nsg, target));
        }
    }

    /// <summary>What filters inbound traffic to <paramref name="publicAddress"/> of <paramref name="vm"/>: the NSGs of the
    /// subnet and of the NIC whose ip configuration holds that public IP (an NSG id that names nothing is a null entry,
    /// which admits nothing), the NIC's private address and its VNet's address space. Null when no NIC holds it.
    /// Callers hold the store lock.</summary>
    public static InboundPath? FindInbound(ArmRuntime runtime, ArmResource vm, IPAddress publicAddress)
    {
        foreach (var reference in (vm.Properties["networkProfile"]?["networkInterfaces"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)reference["id"] is not { } nicId || runtime.Store.Find(nicId) is not { } nic)
            {
                continue;
            }

            foreach (var configuration in (nic.Properties["ipConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var properties = configuration["properties"] as JsonObject;
                var publicIpId = (string?)properties?["publicIPAddress"]?["id"];
                if (publicIpId is null || runtime.Store.Find(publicIpId) is not { } publicIp
                    || !IPAddress.TryParse((string?)publicIp.Properties["ipAddress"], out var address) || !address.Equals(publicAddress))
                {
                    continue;
                }

                var subnetId = (string?)properties!["subnet"]?["id"] ?? string.Empty;
                var subnet = VirtualNetworkType.FindSubnet(runtime, subnetId);
                var vnetId = subnetId[..Math.Max(0, subnetId.LastIndexOf("/subnets/", StringComparison.OrdinalIgnoreCase))];
                var space = (runtime.Store.Find(vnetId)?.Properties["addressSpace"]?["addressPrefixes"] as JsonArray ?? [])
                    .Select(p => IPNetwork.TryParse((string?)p, out var network) ? network : (IPNetwork?)null)
                    .OfType<IPNetwork>().ToList();
                var nsgs = new[] { (string?)subnet?["properties"]?["networkSecurityGroup"]?["id"], (string?)nic.Properties["networkSecurityGroup"]?["id"] }
                    .Where(id => id is not null)
                    .Select(id => runtime.Store.Find(id!)?.Properties)
                    .ToList();
                return new InboundPath(nsgs, IPAddress.TryParse((string?)properties["privateIPAddress"], out var ip) ? ip : null, space);
            }
        }

        return null;
    }

    /// <summary>An NSG's inbound rules (its own and the default ones) in the order Azure evaluates them.</summary>
    public static IEnumerable<JsonObject> InboundRules(JsonObject nsg) =>
        (nsg["securityRules"] as JsonArray ?? []).Concat(nsg["defaultSecurityRules"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(r => r["properties"] as JsonObject)
            .OfType<JsonObject>()
            .Where(r => string.Equals((string?)r["direction"], "Inbound", StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => int.TryParse(r["priority"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : int.MaxValue);

    private sealed record Target(IPEndPoint Source, int Port, IPAddress? PrivateIp, IReadOnlyList<IPNetwork> VnetSpace)
    {
        public bool InVnet(IPAddress address) => VnetSpace.Any(n => n.Contains(address));
    }

    /// <summary>First matching inbound rule by priority decides; DenyAllInBound (65500) matches everything.</summary>
    private static bool Allows(JsonObject nsg, Target target)
    {
        foreach (var rule in InboundRules(nsg))
        {
            if (Matches(rule, target))
            {
                return string.Equals((string?)rule["access"], "Allow", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    private static bool Matches(JsonObject rule, Target target) =>
        ((string?)rule["protocol"] is "*" or null || string.Equals((string?)rule["protocol"], "Tcp", StringComparison.OrdinalIgnoreCase))
        && Values(rule, "destinationPortRange", "destinationPortRanges").Any(range => PortIn(range, target.Port))
        && Values(rule, "sourcePortRange", "sourcePortRanges").Any(range => PortIn(range, target.Source.Port))
        && Values(rule, "sourceAddressPrefix", "sourceAddressPrefixes").Any(prefix => SourceIn(prefix, target))
        && Values(rule, "destinationAddressPrefix", "destinationAddressPrefixes").Any(prefix => DestinationIn(prefix, target));

    public static IEnumerable<string> Values(JsonObject rule, string single, string plural)
    {
        if ((string?)rule[single] is { Length: > 0 } one)
        {
            yield return one;
        }

        foreach (var item in rule[plural] as JsonArray ?? [])
        {
            if ((string?)item is { Length: > 0 } value)
            {
                yield return value;
            }
        }
    }

    private static bool PortIn(string range, int port)
    {
        if (range == "*")
        {
            return true;
        }

        var bounds = range.Split('-');
        return int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low)
            && int.TryParse(bounds[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            && port >= low && port <= high;
    }

    /// <summary>Service tags as Azure defines them for inbound traffic; any loopback "caller" is an Internet address.</summary>
    private static bool SourceIn(string prefix, Target target)
    {
        var address = target.Source.Address.IsIPv4MappedToIPv6 ? target.Source.Address.MapToIPv4() : target.Source.Address;
        return prefix.ToUpperInvariant() switch
        {
            "*" or "ANY" => true,
            "VIRTUALNETWORK" => target.InVnet(address),
            "AZURELOADBALANCER" => address.Equals(AzureLoadBalancer),
            "INTERNET" => !target.InVnet(address) && !address.Equals(AzureLoadBalancer),
            _ => InPrefix(prefix, address),
        };
    }

    /// <summary>Inbound rules see the NIC's private address (after the public IP's translation).</summary>
    private static bool DestinationIn(string prefix, Target target) => DestinationIn(prefix, target.PrivateIp, target.VnetSpace);

    /// <summary>Inbound rules see the NIC's private address (after the public IP's translation).</summary>
    public static bool DestinationIn(string prefix, IPAddress? privateIp, IReadOnlyList<IPNetwork> vnetSpace) => prefix.ToUpperInvariant() switch
    {
        "*" or "ANY" => true,
        "VIRTUALNETWORK" => privateIp is { } ip && vnetSpace.Any(n => n.Contains(ip)),
        _ => privateIp is { } ip && InPrefix(prefix, ip),
    };

    /// <summary>The Azure Load Balancer's probe address, the AzureLoadBalancer service tag.</summary>
    public static IPAddress LoadBalancerAddress => AzureLoadBalancer;

    private static bool InPrefix(string prefix, IPAddress address) =>
        IPNetwork.TryParse(prefix, out var network) ? network.Contains(address)
        : IPAddress.TryParse(prefix, out var single) && single.Equals(address);
}
