using System.Diagnostics;
using System.Globalization;

namespace DockerVm.Benchmarks;

/// <summary>Durations of repeated operations, in milliseconds, with the few statistics the tables print.</summary>
internal sealed class Samples
{
    private readonly List<double> milliseconds = [];
    private double[]? sorted;

    public int Count => milliseconds.Count;

    public double Mean => milliseconds.Count == 0 ? double.NaN : milliseconds.Average();

    public void Add(TimeSpan elapsed)
    {
        milliseconds.Add(elapsed.TotalMilliseconds);
        sorted = null;
    }

    public void AddRange(Samples other)
    {
        ArgumentNullException.ThrowIfNull(other);
        milliseconds.AddRange(other.milliseconds);
        sorted = null;
    }

    /// <summary>Nearest-rank percentile (0 &lt; <paramref name="percent"/> ≤ 100).</summary>
    public double Percentile(double percent)
    {
        if (milliseconds.Count == 0)
        {
            return double.NaN;
        }

        sorted ??= [.. milliseconds.Order()];
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>Timed repetitions: per-call wall times, the total wall time, and the process CPU time they used.</summary>
internal sealed record Run(Samples Samples, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double PerSecond => Samples.Count / Elapsed.TotalSeconds;

    /// <summary>CPU milliseconds per call: what the work costs, whatever else the machine is doing.</summary>
    public double CpuMillisecondsEach => Cpu.TotalMilliseconds / Samples.Count;
}

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

internal static class Format
{
    public static string Rate(double perSecond) => perSecond switch
    {
        double.NaN => "–",
        >= 1000 => perSecond.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => perSecond.ToString("N1", CultureInfo.InvariantCulture),
        _ => perSecond.ToString("N2", CultureInfo.InvariantCulture),
    };

    public static string Milliseconds(double value) => value switch
    {
        double.NaN => "–",
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("N2", CultureInfo.InvariantCulture),
        _ => value.ToString("N3", CultureInfo.InvariantCulture),
    };

    public static string Microseconds(double milliseconds) =>
        double.IsNaN(milliseconds) ? "–" : (milliseconds * 1000).ToString(milliseconds * 1000 >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture);

    public static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture);

    public static string Integer(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("N2", CultureInfo.InvariantCulture);
}
