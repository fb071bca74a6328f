namespace DockerVm.Emulator.Guest;

/// <summary>A guest sandbox could not be set up or a command in it could not be run (not: a command that failed).</summary>
public sealed class GuestSandboxException : Exception
{
    public GuestSandboxException()
    {
    }

    public GuestSandboxException(string message)
        : base(message)
    {
    }

    public GuestSandboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
