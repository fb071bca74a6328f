namespace DockerVm.Emulator.Network;

/// <summary>A NIC held for the deleted VM <paramref name="VmId"/> until <paramref name="Until"/>.</summary>
internal sealed record NicReservation(string VmId, DateTimeOffset Until);
