namespace DockerVm.Provisioning.Callbacks;

/// <summary>A callback target that must not be called (SSRF guard). The message names the host and the reason only.</summary>
public sealed class CallbackUrlRefusedException : Exception
{
    public CallbackUrlRefusedException()
    {
    }

    public CallbackUrlRefusedException(string message)
        : base(message)
    {
    }

    public CallbackUrlRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
