using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace DockerVm.Emulator.Network;

/// <summary>An IPv4 CIDR block (enough for address spaces, subnets and NSG prefixes).</summary>
internal readonly record struct Cidr(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    public uint First => Network & Mask;

    public uint Last => First | ~Mask;

    public static bool TryParse(string text, out Cidr cidr)
    {
        cidr = default;
        var parts = text.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length is < 0 or > 32)
        {
            return false;
        }

        cidr = new Cidr(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()), length);
        return true;
    }

    public bool Contains(Cidr other) => other.PrefixLength >= PrefixLength && (other.First & Mask) == First;

    public bool Overlaps(Cidr other) => First <= other.Last && other.First <= Last;

    public static string Format(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes).ToString();
    }

    public static uint ToUInt(string address) => BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(address).GetAddressBytes());
}
