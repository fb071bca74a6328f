namespace DockerVm.Emulator.Faults;

/// <summary>One served request, as the request log shows it.</summary>
public sealed record RequestLogEntry(DateTimeOffset Time, string Method, string Path, int Status, double DurationMs, string Operation);
