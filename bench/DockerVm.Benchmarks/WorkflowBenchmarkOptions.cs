namespace DockerVm.Benchmarks;

internal sealed record WorkflowBenchmarkOptions(int Orchestrations, int Concurrency);
