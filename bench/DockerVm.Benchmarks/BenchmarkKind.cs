namespace DockerVm.Benchmarks;

internal enum BenchmarkKind
{
    Certs,
    Validation,
    Emulator,
    Workflow,

    /// <summary>The real workflow against the emulator (minutes with Azure-like durations): only when named.</summary>
    Arm,
}
