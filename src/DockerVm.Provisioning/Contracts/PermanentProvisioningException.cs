namespace DockerVm.Provisioning.Contracts;

/// <summary>Retrying will not help (400, 403, quota, SKU not available, allocation failure): the workflow fails fast.</summary>
public sealed class PermanentProvisioningException(string errorCode, string message, Exception? innerException = null)
    : ProvisioningException(errorCode, message, innerException);
