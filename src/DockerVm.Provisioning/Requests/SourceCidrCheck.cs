using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace DockerVm.Provisioning.Requests;

/// <summary>Checks one entry of <c>allowedSourceCidrs</c>: an IPv4/IPv6 CIDR or single address, or an "anywhere" form.</summary>
internal static partial class SourceCidrCheck
{
    /// <summary>Forms that open the port to the whole internet; accepted only with <c>allowAnySource</c>.</summary>
    public static bool IsAnySource(string value) =>
        value is "0.0.0.0/0" or "::/0" or "*"
        || value.Equals("Internet", StringComparison.OrdinalIgnoreCase)
        || value.Equals("Any", StringComparison.OrdinalIgnoreCase);

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
            return (ValidationRules.CidrSyntax, "Expected an IPv4 or IPv6 address with an optional prefix length, e.g. 203.0.113.0/24 or 2001:db8::/48.");
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            var prefixText = value[(slash + 1)..];
            if (!PrefixPattern().IsMatch(prefixText)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix)
            {
                return (ValidationRules.CidrSyntax, $"The prefix length must be a number from 0 to {maxPrefix}.");
            }
        }

        // IPNetwork holds the network of the prefix; an entry that is not that network's own address has host bits set.
        var network = new IPNetwork(NetworkAddress(address, prefix), prefix);
        return network.BaseAddress.Equals(address)
            ? null
            : (ValidationRules.CidrHostBits, $"'{value}' has host bits set after the /{prefix} prefix; use the network address {network}.");
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
