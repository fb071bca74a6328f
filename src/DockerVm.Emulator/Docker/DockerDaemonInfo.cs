namespace DockerVm.Emulator.Docker;

/// <summary>A running emulated daemon, as the state dump shows it.</summary>
public sealed record DockerDaemonInfo(string OwnerId, string Endpoint, string HostName, long Requests);
