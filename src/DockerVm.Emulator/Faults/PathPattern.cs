using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Faults;

/// <summary>Glob over request paths: '*' matches any run of characters, everything else literally, ignoring case.</summary>
internal sealed class PathPattern
{
    private readonly Regex _regex;

    public PathPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        var expression = "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$";
        _regex = new Regex(expression, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    }

    public string Pattern { get; }

    public bool Matches(string? method, string ruleMethod, string path) =>
        (string.IsNullOrEmpty(ruleMethod) || string.Equals(ruleMethod, method, StringComparison.OrdinalIgnoreCase))
        && _regex.IsMatch(path);
}
