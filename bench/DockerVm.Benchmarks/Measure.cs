using System.Diagnostics;

namespace DockerVm.Benchmarks;

internal static class Measure
{
    /// <summary>Runs <paramref name="operation"/> until <paramref name="budget"/> has passed and at least
    /// <paramref name="minIterations"/> ran, timing each call.</summary>
    public static Run Repeat(Action operation, TimeSpan budget, int minIterations = 1)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var samples = new Samples();
        var cpu = ProcessCpu();
        var start = Stopwatch.GetTimestamp();
        while (samples.Count < minIterations || Stopwatch.GetElapsedTime(start) < budget)
        {
            var before = Stopwatch.GetTimestamp();
            operation();
            samples.Add(Stopwatch.GetElapsedTime(before));
        }

        return new Run(samples, Stopwatch.GetElapsedTime(start), ProcessCpu() - cpu);
    }

    /// <summary>Same as <see cref="Repeat"/> on <paramref name="workers"/> threads at once (all cores busy).</summary>
    public static Run RepeatInParallel(Action operation, TimeSpan budget, int workers)
    {
        var results = new Run[workers];
        var cpu = ProcessCpu();
        var start = Stopwatch.GetTimestamp();
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => results[i] = Repeat(operation, budget));
        var total = new Samples();
        foreach (var result in results)
        {
            total.AddRange(result.Samples);
        }

        return new Run(total, Stopwatch.GetElapsedTime(start), ProcessCpu() - cpu);
    }

    /// <summary>CPU time of the whole process (all threads): unlike wall time, barely inflated by other load on the machine.</summary>
    public static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Full, compacting collection so heap and working-set readings compare like with like.</summary>
    public static void SettleMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
