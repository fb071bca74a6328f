namespace DockerVm.Emulator.Hosting;

/// <summary>Token buckets per subscription, like ARM's read/write limits.</summary>
public sealed record ThrottlingOptions
{
    public int ReadCapacity { get; init; } = 250;

    public double ReadRefillPerSecond { get; init; } = 25;

    public int WriteCapacity { get; init; } = 200;

    public double WriteRefillPerSecond { get; init; } = 10;
}
