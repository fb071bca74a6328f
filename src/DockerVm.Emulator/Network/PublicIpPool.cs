using System.Buffers.Binary;
using System.Net;

namespace DockerVm.Emulator.Network;

/// <summary>
/// Hands out loopback addresses (from 127.0.1.1 upwards, skipping .0 and .255) so every emulated VM gets a
/// reachable public IP of its own; in real-Docker mode addresses of <paramref name="range"/> (guest sandboxes,
/// Guest/GuestAddresses.cs) instead. Callers hold the store lock.
/// </summary>
internal sealed class PublicIpPool(string start, IPNetwork? range = null)
{
    private static readonly IPNetwork Loopback = IPNetwork.Parse("127.0.0.0/8");
    private readonly IPNetwork _range = range ?? Loopback;
    private readonly uint _start = ToUInt(IPAddress.Parse(start));
    private readonly SortedSet<uint> _released = [];
    private readonly HashSet<uint> _inUse = [];
    private uint _next = ToUInt(IPAddress.Parse(start));

    public int InUse => _inUse.Count;

    /// <summary>127.x.y.1 with x in 16..239: far from 127.0.1.0/24 (the standalone tool's range) and from 127.0.0.1.</summary>
    public static string RandomBlockStart() =>
        $"127.{System.Security.Cryptography.RandomNumberGenerator.GetInt32(16, 240)}.{System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 256)}.1";

    public string Allocate()
    {
        uint value;
        if (_released.Count > 0)
        {
            value = _released.Min;
            _released.Remove(value);
        }
        else
        {
            while ((_next & 0xFF) is 0 or 255)
            {
                _next++;
            }

            if (!_range.Contains(ToAddress(_next)))
            {
                throw new InvalidOperationException($"The public IP range {_range} is exhausted.");
            }

            value = _next++;
        }

        // Another emulator (another process) may already serve Docker on this address: skip it. A guest address is not
        // on the host until its sandbox boots, which refuses one already in use.
        if (_range == Loopback && DockerPortTaken(value))
        {
            return Allocate();
        }

        _inUse.Add(value);
        return ToAddress(value).ToString();
    }

    public void Release(string? address)
    {
        if (address is not null && IPAddress.TryParse(address, out var ip) && _inUse.Remove(ToUInt(ip)))
        {
            _released.Add(ToUInt(ip));
        }
    }

    /// <summary>The allocation state, for the state file: next fresh address, addresses in use, released ones to reuse first.</summary>
    public (string Next, IReadOnlyList<string> InUse, IReadOnlyList<string> Released) Export() =>
        (ToAddress(_next).ToString(), [.. _inUse.Order().Select(v => ToAddress(v).ToString())], [.. _released.Select(v => ToAddress(v).ToString())]);

    public void Import(string next, IEnumerable<string> inUse, IEnumerable<string> released)
    {
        Reset();
        // A state file of the other Docker mode holds addresses of the other range: start this range afresh.
        _next = _range.Contains(IPAddress.Parse(next)) ? ToUInt(IPAddress.Parse(next)) : _start;
        _inUse.UnionWith(inUse.Select(IPAddress.Parse).Where(_range.Contains).Select(ToUInt));
        _released.UnionWith(released.Select(IPAddress.Parse).Where(_range.Contains).Select(ToUInt));
    }

    public void Reset()
    {
        _inUse.Clear();
        _released.Clear();
        _next = _start;
    }

    private static bool DockerPortTaken(uint value)
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            // Same socket options as the daemons: only a live listener (not TIME_WAIT leftovers) counts as taken.
            probe.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
            probe.Bind(new IPEndPoint(ToAddress(value), 2376));
            return false;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return true;
        }
    }

    private static uint ToUInt(IPAddress address) => BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
