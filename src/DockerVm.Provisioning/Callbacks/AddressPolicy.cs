using System.Net;
using System.Net.Sockets;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>Which IP addresses a callback may never reach (SSRF): anything that is not a public unicast address.</summary>
public static class AddressPolicy
{
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private static readonly IPNetwork[] BlockedNetworks =
    [
        IPNetwork.Parse("0.0.0.0/8"),       // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"),      // private
        IPNetwork.Parse("100.64.0.0/10"),   // carrier-grade NAT
        IPNetwork.Parse("127.0.0.0/8"),     // loopback
        IPNetwork.Parse("169.254.0.0/16"),  // link-local, cloud metadata 169.254.169.254
        IPNetwork.Parse("172.16.0.0/12"),   // private
        IPNetwork.Parse("192.0.0.0/24"),    // IETF protocol assignments
        IPNetwork.Parse("192.168.0.0/16"),  // private
        IPNetwork.Parse("198.18.0.0/15"),   // benchmarking
        IPNetwork.Parse("224.0.0.0/4"),     // multicast
        IPNetwork.Parse("240.0.0.0/4"),     // reserved, broadcast
        IPNetwork.Parse("::/128"),          // unspecified
        IPNetwork.Parse("::1/128"),         // loopback
        IPNetwork.Parse("::/96"),           // deprecated IPv4-compatible addresses
        IPNetwork.Parse("64:ff9b:1::/48"),  // local-use NAT64
        IPNetwork.Parse("100::/64"),        // discard
        IPNetwork.Parse("fc00::/7"),        // unique local, includes AWS metadata fd00:ec2::254
        IPNetwork.Parse("fe80::/10"),       // link-local
        IPNetwork.Parse("ff00::/8"),        // multicast
    ];

    /// <summary>Null when <paramref name="address"/> is a public unicast address; otherwise why it is refused.</summary>
    public static string? WhyBlocked(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);

        // An IPv6 address that carries an IPv4 address (mapped, NAT64, 6to4) is judged as the IPv4 address it reaches.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (Nat64.Contains(address))
        {
            address = new IPAddress(address.GetAddressBytes().AsSpan(12, 4));
        }
        else if (SixToFour.Contains(address))
        {
            address = new IPAddress(address.GetAddressBytes().AsSpan(2, 4));
        }

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return "not an IP address";
        }

        foreach (var network in BlockedNetworks)
        {
            if (network.Contains(address))
            {
                return Describe(network);
            }
        }

        return null;
    }

    private static string Describe(IPNetwork network) => network.ToString() switch
    {
        "127.0.0.0/8" or "::1/128" => "loopback address",
        "10.0.0.0/8" or "172.16.0.0/12" or "192.168.0.0/16" or "fc00::/7" => "private address",
        "169.254.0.0/16" or "fe80::/10" => "link-local or cloud metadata address",
        "100.64.0.0/10" => "carrier-grade NAT address",
        "0.0.0.0/8" or "::/128" => "unspecified address",
        "224.0.0.0/4" or "ff00::/8" => "multicast address",
        _ => $"reserved address ({network})",
    };
}
