namespace DockerVm.Benchmarks;

internal enum BenchmarkKind
{
    Certs,
    Validation,
    Emulator,
    Workflow,
}
