namespace DockerVm.Emulator.Faults;

/// <summary>Adds a delay to requests whose path matches <see cref="PathPattern"/> (same glob as faults).</summary>
public sealed record LatencyRule
{
    public required string PathPattern { get; init; }

    public string? Method { get; init; }

    public required TimeSpan Delay { get; init; }
}
