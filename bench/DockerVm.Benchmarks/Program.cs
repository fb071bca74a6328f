using DockerVm.Benchmarks;

return await BenchmarkCommand.Create().Parse(args).InvokeAsync();
