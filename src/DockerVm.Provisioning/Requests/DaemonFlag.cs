namespace DockerVm.Provisioning.Requests;

/// <summary>
/// One dockerd flag as its flag library (spf13/pflag) defines it: long name, optional one-letter shorthand, whether
/// it is a boolean (takes no separate value: <c>--debug</c> means <c>--debug=true</c>) and whether it may repeat.
/// <see cref="Policy"/> says whether a request may set it; <see cref="CheckValue"/> (allowed flags only) returns
/// null for an acceptable value, else a message that does not echo the value.
/// </summary>
internal sealed record DaemonFlag(
    string Name,
    char? Shorthand,
    bool IsBool,
    bool Repeatable,
    DaemonFlagPolicy Policy,
    string? Reason = null,
    Func<string, string?>? CheckValue = null)
{
    /// <summary>How the flag is named in messages: <c>'-H' (--host)</c> when spelled short, else <c>'--host'</c>.</summary>
    public string Describe(bool spelledShort) =>
        spelledShort && Shorthand is { } c ? $"'-{c}' (--{Name})" : $"'--{Name}'";
}
