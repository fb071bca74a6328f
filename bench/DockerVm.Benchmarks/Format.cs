using System.Globalization;

namespace DockerVm.Benchmarks;

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
