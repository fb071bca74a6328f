using System.Net;
using System.Security.Cryptography;

namespace DockerVm.Emulator.Guest;

/// <summary>
/// The address plan of guest sandboxes. A guest's address is in 198.18.0.0/16 and the host's end of its veth pair is the
/// same address in 198.19.0.0/16: both halves of 198.18.0.0/15, the range RFC 2544 reserves for benchmarking, which no
/// internet or corporate network routes. The pair is point to point (<c>ip addr add A peer B/32</c>), so the host gains
/// exactly one route, to the guest's address, for the sandbox's lifetime, and a guest reaches nothing but its host end.
/// To the guest, every connection from the host comes from its host end (the NSG's "caller").
/// </summary>
public static class GuestAddresses
{
    /// <summary>Where guest addresses come from; the emulator's real-Docker mode hands them out as public IPs from the start.</summary>
    public static readonly IPNetwork GuestRange = IPNetwork.Parse("198.18.0.0/16");

    /// <summary>The host ends of all sandboxes: allow this as the caller's CIDR to reach a guest from the host.</summary>
    public static readonly IPNetwork HostRange = IPNetwork.Parse("198.19.0.0/16");

    /// <summary>The standalone emulator's first public IP in real-Docker mode.</summary>
    public const string StandaloneStart = "198.18.0.1";

    /// <summary>The host end that belongs to <paramref name="guest"/> (same host part, in <see cref="HostRange"/>).</summary>
    public static IPAddress HostEnd(IPAddress guest)
    {
        ArgumentNullException.ThrowIfNull(guest);
        if (!GuestRange.Contains(guest))
        {
            throw new ArgumentException($"A guest address must be in {GuestRange}; {guest} is not.", nameof(guest));
        }

        var bytes = guest.GetAddressBytes();
        bytes[1] = 19;
        return new IPAddress(bytes);
    }

    /// <summary>A block start for an embedded emulator or a test (198.18.x.1, x in 128..254), so that parallel runs
    /// rarely meet; the sandbox refuses an address that is already on the host.</summary>
    public static string RandomBlockStart() => $"198.18.{RandomNumberGenerator.GetInt32(128, 255)}.1";

    /// <summary>A random guest address in the upper half of <see cref="GuestRange"/> (tests).</summary>
    public static IPAddress RandomGuest() =>
        IPAddress.Parse($"198.18.{RandomNumberGenerator.GetInt32(128, 255)}.{RandomNumberGenerator.GetInt32(1, 255)}");
}
