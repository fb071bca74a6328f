using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Guest;

namespace DockerVm.Emulator.Network;

/// <summary>
/// A VM's network security groups as netfilter rules for its guest sandbox (real-Docker mode): the same decision
/// <see cref="NsgEvaluator"/> takes per connection, made by the kernel for every packet arriving on the guest's eth0.
/// Chain <see cref="GuestSandbox.InboundChain"/> (mangle PREROUTING, before dockerd's DNAT, so rules see the port the
/// caller connected to) lets return traffic of established connections through (NSGs are stateful), then jumps to
/// one chain per NSG, subnet's first, then NIC's: each evaluates its inbound rules by priority, user rules then the
/// default ones (learn.microsoft.com, "How network security groups filter network traffic"); the first match decides,
/// Allow returns to the next NSG, Deny drops (silently, as Azure does). Both must allow.
/// </summary>
/// <remarks>
/// Service tags: VirtualNetwork is the VNet's address space, AzureLoadBalancer 168.63.129.16, Internet every other
/// address (the complement, as CIDRs); other tags match nothing here. Destinations are decided per rule up front against
/// the NIC's private address, as NsgEvaluator does. IPv6 prefixes match nothing: the guest has no IPv6 address. A public
/// IP that no NIC of the VM holds drops everything: a Standard SKU public IP is closed unless an NSG admits.
/// </remarks>
internal static class NsgPacketFilter
{
    /// <summary>One chain per NSG on the path (subnet's, then NIC's).</summary>
    private static readonly string[] NsgChains = [GuestSandbox.InboundChain + "-1", GuestSandbox.InboundChain + "-2"];

    /// <summary>The <c>iptables-restore</c> text for <paramref name="vm"/>'s public IP <paramref name="publicAddress"/>.
    /// Callers hold the store lock.</summary>
    public static string For(ArmRuntime runtime, ArmResource vm, IPAddress publicAddress)
    {
        var path = NsgEvaluator.FindInbound(runtime, vm, publicAddress);
        var text = new StringBuilder("*mangle\n")
            .Append(':').Append(GuestSandbox.InboundChain).Append(" - [0:0]\n")
            .Append(':').Append(NsgChains[0]).Append(" - [0:0]\n")
            .Append(':').Append(NsgChains[1]).Append(" - [0:0]\n")
            .Append("-A ").Append(GuestSandbox.InboundChain).Append(" -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n");
        if (path is null)
        {
            text.Append("-A ").Append(GuestSandbox.InboundChain).Append(" -j DROP\n");
        }
        else
        {
            var chains = NsgChains;
            for (var i = 0; i < path.Nsgs.Count; i++)
            {
                text.Append("-A ").Append(GuestSandbox.InboundChain).Append(" -j ").Append(chains[i]).Append('\n');
                if (path.Nsgs[i] is not { } nsg)
                {
                    text.Append("-A ").Append(chains[i]).Append(" -j DROP\n");
                    continue;
                }

                foreach (var rule in NsgEvaluator.InboundRules(nsg))
                {
                    var verdict = string.Equals((string?)rule["access"], "Allow", StringComparison.OrdinalIgnoreCase) ? "RETURN" : "DROP";
                    foreach (var match in Matches(rule, path))
                    {
                        text.Append("-A ").Append(chains[i]).Append(match).Append(" -j ").Append(verdict).Append('\n');
                    }
                }

                // Not reached with ARM's default rules (DenyAllInBound matches everything); an NSG without them admits nothing.
                text.Append("-A ").Append(chains[i]).Append(" -j DROP\n");
            }
        }

        return text.Append("COMMIT\n").ToString();
    }

    /// <summary>Loads every sandbox's filter again from the current NSGs (after an NSG or NIC changed); does not wait.
    /// Callers hold the store lock.</summary>
    public static void Refresh(ArmRuntime runtime)
    {
        if (runtime.Guests is not { } guests)
        {
            return;
        }

        foreach (var vmId in guests.VmIds)
        {
            if (runtime.Store.Find(vmId) is { } vm && Compute.VirtualMachineType.PublicIpAddress(runtime, vm) is { } text && IPAddress.TryParse(text, out var address))
            {
                guests.RefreshFilter(vmId, For(runtime, vm, address));
            }
        }
    }

    /// <summary>The rule as iptables matches, one line per combination of protocol, source, and port ranges; none when
    /// it cannot match this VM (its destination is not the NIC's address, or its sources match no IPv4 address).</summary>
    private static IEnumerable<string> Matches(JsonObject rule, InboundPath path)
    {
        if (!NsgEvaluator.Values(rule, "destinationAddressPrefix", "destinationAddressPrefixes").Any(p => NsgEvaluator.DestinationIn(p, path.PrivateIp, path.VnetSpace)))
        {
            yield break;
        }

        var sources = NsgEvaluator.Values(rule, "sourceAddressPrefix", "sourceAddressPrefixes").SelectMany(p => Sources(p, path.VnetSpace)).Distinct().ToList();
        var destinationPorts = Ports(NsgEvaluator.Values(rule, "destinationPortRange", "destinationPortRanges"));
        var sourcePorts = Ports(NsgEvaluator.Values(rule, "sourcePortRange", "sourcePortRanges"));
        var protocol = ((string?)rule["protocol"] ?? "*").ToUpperInvariant();
        var anyPort = destinationPorts.Count == 0 && sourcePorts.Count == 0;
        string[] protocols = protocol switch
        {
            "TCP" => ["tcp"],
            "UDP" => ["udp"],
            "ICMP" => ["icmp"],
            _ when anyPort => [""],
            _ => ["tcp", "udp"],
        };
        foreach (var p in protocols)
        {
            var withPorts = p is "tcp" or "udp";
            foreach (var source in sources)
            {
                foreach (var destinationPort in withPorts && destinationPorts.Count > 0 ? destinationPorts : [""])
                {
                    foreach (var sourcePort in withPorts && sourcePorts.Count > 0 ? sourcePorts : [""])
                    {
                        var line = new StringBuilder();
                        if (p.Length > 0)
                        {
                            line.Append(" -p ").Append(p);
                        }

                        if (source.Length > 0)
                        {
                            line.Append(" -s ").Append(source);
                        }

                        if (destinationPort.Length > 0)
                        {
                            line.Append(" --dport ").Append(destinationPort);
                        }

                        if (sourcePort.Length > 0)
                        {
                            line.Append(" --sport ").Append(sourcePort);
                        }

                        yield return line.ToString();
                    }
                }
            }
        }
    }

    /// <summary>A source prefix as IPv4 CIDRs ("" = any source); none when it matches no IPv4 address.</summary>
    internal static IEnumerable<string> Sources(string prefix, IReadOnlyList<IPNetwork> vnetSpace)
    {
        var vnet = vnetSpace.Where(n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork).ToList();
        switch (prefix.ToUpperInvariant())
        {
            case "*" or "ANY":
                return [""];
            case "VIRTUALNETWORK":
                return vnet.Select(n => n.ToString());
            case "AZURELOADBALANCER":
                return [NsgEvaluator.LoadBalancerAddress + "/32"];
            case "INTERNET":
                return Complement([.. vnet, new IPNetwork(NsgEvaluator.LoadBalancerAddress, 32)]);
            default:
                if (IPNetwork.TryParse(prefix, out var network) && network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
                {
                    return [network.ToString()];
                }

                return IPAddress.TryParse(prefix, out var address) && address.AddressFamily == AddressFamily.InterNetwork ? [address + "/32"] : [];
        }
    }

    /// <summary>Port ranges as iptables writes them (<c>N</c> or <c>N:M</c>); empty for any port.</summary>
    private static List<string> Ports(IEnumerable<string> ranges)
    {
        var list = ranges.ToList();
        return list.Count == 0 || list.Contains("*") ? [] : [.. list.Select(r => r.Replace('-', ':'))];
    }

    /// <summary>IPv4 minus <paramref name="excluded"/>, as the fewest CIDRs.</summary>
    private static List<string> Complement(IEnumerable<IPNetwork> excluded)
    {
        var holes = excluded.Select(Bounds).OrderBy(b => b.First).ToList();
        var result = new List<string>();
        ulong next = 0;
        foreach (var (first, last) in holes)
        {
            if (first > next)
            {
                AddRange(result, next, first - 1);
            }

            next = Math.Max(next, last + 1);
        }

        if (next <= uint.MaxValue)
        {
            AddRange(result, next, uint.MaxValue);
        }

        return result;
    }

    private static (ulong First, ulong Last) Bounds(IPNetwork network)
    {
        var start = BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes());
        var size = 1UL << (32 - network.PrefixLength);
        return (start, start + size - 1);
    }

    private static void AddRange(List<string> result, ulong first, ulong last)
    {
        while (first <= last)
        {
            var bits = 32;
            while (bits > 0 && (first & ((1UL << (33 - bits)) - 1)) == 0 && first + (1UL << (33 - bits)) - 1 <= last)
            {
                bits--;
            }

            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)first);
            result.Add($"{new IPAddress(bytes)}/{bits.ToString(CultureInfo.InvariantCulture)}");
            first += 1UL << (32 - bits);
        }
    }
}
