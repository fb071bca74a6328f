namespace DockerVm.Emulator.Faults;

/// <summary>How a script run on an emulated VM ended: its exit code and the output the handler reports.</summary>
internal sealed record GuestScriptOutcome(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}
