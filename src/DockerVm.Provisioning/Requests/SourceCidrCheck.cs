using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Checks one entry of <c>allowedSourceCidrs</c>: an IPv4 CIDR or single address, or an "anywhere" form; and measures
/// the address space a set of entries covers. IPv6 is refused: the host's public IP is IPv4 only, so an IPv6 source
/// could never reach it, and an NSG rule cannot mix address families
/// (<c>ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies</c>).
/// </summary>
internal static partial class SourceCidrCheck
{
    /// <summary>Without <c>allowAnySource</c>, the entries together may cover at most one /8 of IPv4.</summary>
    public const int BroadestPrefixWithoutOptIn = 8;

    public const long MaxAddressesWithoutOptIn = 1L << (32 - BroadestPrefixWithoutOptIn);

    /// <summary>Forms that open the port to the whole internet; accepted only with <c>allowAnySource</c>.</summary>
    public static bool IsAnySource(string value) =>
        value is "0.0.0.0/0" or "*"
        || value.Equals("Internet", StringComparison.OrdinalIgnoreCase)
        || value.Equals("Any", StringComparison.OrdinalIgnoreCase);

    public static string TooBroadMessage(long addresses) =>
        $"Together these networks cover {addresses:N0} IPv4 addresses; without allowAnySource the limit is one /{BroadestPrefixWithoutOptIn} "
        + $"({MaxAddressesWithoutOptIn:N0} addresses, overlaps counted once). List the caller's networks, or set allowAnySource: true to opt in explicitly.";

    /// <summary>The NSG spelling of an accepted entry (<c>Any</c> has no NSG meaning, <c>*</c> does).</summary>
    public static string Normalize(string value) =>
        value.Equals("Any", StringComparison.OrdinalIgnoreCase) ? "*"
        : value.Equals("Internet", StringComparison.OrdinalIgnoreCase) ? "Internet"
        : value;

    public static (string Rule, string Message)? Check(string value, bool allowAnySource)
    {
        if (IsAnySource(value))
        {
            return allowAnySource
                ? null
                : (ValidationRules.CidrAnySourceNotAllowed, $"'{value}' opens SSH and Docker to the whole internet; list the caller's networks, or set allowAnySource: true to opt in explicitly.");
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        if (!TryParseStrict(addressText, out var address))
        {
            return (ValidationRules.CidrSyntax, "Expected an IPv4 address with an optional prefix length, e.g. 203.0.113.0/24 or 198.51.100.7.");
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return (ValidationRules.CidrIpv6Unsupported, "IPv6 source ranges are not supported: the Docker host has an IPv4 public address only. List IPv4 networks, e.g. 203.0.113.0/24.");
        }

        const int MaxPrefix = 32;
        var prefix = MaxPrefix;
        if (slash >= 0)
        {
            var prefixText = value[(slash + 1)..];
            if (!PrefixPattern().IsMatch(prefixText)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > MaxPrefix)
            {
                return (ValidationRules.CidrSyntax, $"The prefix length must be a number from 0 to {MaxPrefix}.");
            }
        }

        // IPNetwork holds the network of the prefix; an entry that is not that network's own address has host bits set.
        var network = new IPNetwork(NetworkAddress(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            return (ValidationRules.CidrHostBits, $"'{value}' has host bits set after the /{prefix} prefix; use the network address {network}.");
        }

        return prefix < BroadestPrefixWithoutOptIn && !allowAnySource
            ? (ValidationRules.CidrTooBroad,
                $"'{value}' covers {1L << (32 - prefix):N0} IPv4 addresses; without allowAnySource a network may be at most a /{BroadestPrefixWithoutOptIn} "
                + $"({MaxAddressesWithoutOptIn:N0} addresses). List the caller's networks, or set allowAnySource: true to opt in explicitly.")
            : null;
    }

    /// <summary>The first and last address of an entry <see cref="Check"/> accepted (an "anywhere" form is all of IPv4).</summary>
    public static (uint First, uint Last) Range(string value)
    {
        if (IsAnySource(value))
        {
            return (0, uint.MaxValue);
        }

        var network = value.Contains('/', StringComparison.Ordinal) ? IPNetwork.Parse(value) : new IPNetwork(IPAddress.Parse(value), 32);
        var first = BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes());
        var size = 1UL << (32 - network.PrefixLength);
        return (first, (uint)(first + size - 1));
    }

    /// <summary>How many addresses the ranges cover together, each address counted once.</summary>
    public static long CoveredAddresses(IEnumerable<(uint First, uint Last)> ranges)
    {
        long total = 0;
        long end = -1;
        foreach (var (first, last) in ranges.OrderBy(r => r.First))
        {
            var start = Math.Max(first, end + 1);
            if (last >= start)
            {
                total += last - start + 1;
                end = last;
            }
        }

        return total;
    }

    /// <summary><paramref name="address"/> with every bit after <paramref name="prefix"/> cleared (the BCL has no mask operation).</summary>
    private static IPAddress NetworkAddress(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    /// <summary>IPAddress.TryParse alone accepts "10", "0x0a.1" and zone ids; NSG rules do not.</summary>
    private static bool TryParseStrict(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (Ipv4Pattern().IsMatch(text))
        {
            return IPAddress.TryParse(text, out address!);
        }

        return text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
            && IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex("^(0|[1-9][0-9]{0,2})$")]
    private static partial Regex PrefixPattern();
}
