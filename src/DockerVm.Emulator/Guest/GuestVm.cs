using System.Net;

namespace DockerVm.Emulator.Guest;

/// <summary>What a VM's guest sandbox is booted from (read from ARM under the store lock): its id, computer name,
/// public IP, admin user, whether its image's docker.io puts dockerd in /usr/bin (Ubuntu), and its NSG filter
/// (<see cref="Network.NsgPacketFilter"/>) at the time of the request.</summary>
internal sealed record GuestVm(string Id, string HostName, IPAddress Address, string AdminUsername, bool DockerdInUsrBin, string PacketFilter);
