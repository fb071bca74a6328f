namespace DockerVm.Benchmarks;

internal sealed record EmulatorBenchmarkOptions(int Vms, int Parallelism, int PingSample, int PingsPerDaemon);
