using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DockerVm.Emulator.Network;

/// <summary>An NSG address prefix that is an IP address or CIDR of either family (service tags and <c>*</c> are not).</summary>
internal static class AddressPrefix
{
    /// <summary>The family of <paramref name="text"/> when it is an IPv4/IPv6 address or CIDR; null otherwise.</summary>
    public static AddressFamily? FamilyOf(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (addressText.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(addressText, out var address))
        {
            return null;
        }

        // IPAddress.TryParse also takes "10" or "0x0a.1"; an NSG takes dotted quads only.
        if (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count(c => c == '.') != 3)
        {
            return null;
        }

        var maxLength = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length > maxLength))
        {
            return null;
        }

        return address.AddressFamily;
    }
}
