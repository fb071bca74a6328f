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
