namespace DockerVm.Benchmarks;

/// <summary>Timed repetitions: per-call wall times, the total wall time, and the process CPU time they used.</summary>
internal sealed record Run(Samples Samples, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double PerSecond => Samples.Count / Elapsed.TotalSeconds;

    /// <summary>CPU milliseconds per call: what the work costs, whatever else the machine is doing.</summary>
    public double CpuMillisecondsEach => Cpu.TotalMilliseconds / Samples.Count;
}
