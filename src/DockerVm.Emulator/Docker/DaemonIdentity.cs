namespace DockerVm.Emulator.Docker;

/// <summary>Who the daemon says it is.</summary>
internal sealed record DaemonIdentity(string Id, string HostName);
