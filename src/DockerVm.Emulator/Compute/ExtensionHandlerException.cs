namespace DockerVm.Emulator.Compute;

/// <summary>An extension handler's failed status: <see cref="Exception.Message"/> is the message the handler reports
/// (e.g. <c>Enable failed: …</c>), which Compute wraps into the VMExtensionProvisioningError.</summary>
internal sealed class ExtensionHandlerException : Exception
{
    public ExtensionHandlerException()
    {
    }

    public ExtensionHandlerException(string statusMessage)
        : base(statusMessage)
    {
    }

    public ExtensionHandlerException(string statusMessage, Exception innerException)
        : base(statusMessage, innerException)
    {
    }
}
