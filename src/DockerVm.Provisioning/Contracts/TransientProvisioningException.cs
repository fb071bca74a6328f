namespace DockerVm.Provisioning.Contracts;

/// <summary>Worth retrying with backoff: throttling (429), server errors (5xx), timeouts, connection failures.</summary>
public sealed class TransientProvisioningException(string errorCode, string message, Exception? innerException = null)
    : ProvisioningException(errorCode, message, innerException);
