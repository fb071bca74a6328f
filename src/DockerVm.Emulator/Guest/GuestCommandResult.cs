namespace DockerVm.Emulator.Guest;

/// <summary>How a command ended: its exit code (-1 when it was killed after its timeout) and what it wrote.</summary>
internal sealed record GuestCommandResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>For exception messages: the exit code and the end of stderr (never stdout, which may carry material).</summary>
    public string Describe() => $"exit code {ExitCode}{(Stderr.Length == 0 ? "" : ": " + Tail(Stderr.Trim(), 2000))}";

    public static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
