namespace DockerVm.Provisioning.Contracts;

/// <summary>Tags the workflow puts on what it creates, so resources and secrets can be traced to a VM and an instance.</summary>
public static class WorkflowTags
{
    /// <summary>Every workflow tag starts with it; requests may not use it, so a caller tag can never be overwritten.</summary>
    public const string Prefix = "dockervm-";

    public const string InstanceId = "dockervm-instance";
    public const string ManagedBy = "dockervm-managed-by";
    public const string ManagedByValue = "DockerVmFunctions";
    /// <summary>On secrets: <c>{subscription}/{resourceGroup}/{vmName}</c>; a full VM id can exceed Key Vault's tag length.</summary>
    public const string VmResourceId = "dockervm-vm";

    /// <summary>Identifies one issuance: the five secrets of a consistent certificate set share it.</summary>
    public const string CertificateSet = "dockervm-tls-set";

    /// <summary>Caller tags (validated not to use <see cref="Prefix"/>) plus the workflow's own.</summary>
    public static IReadOnlyDictionary<string, string> ForResource(IReadOnlyDictionary<string, string> callerTags, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(callerTags);
        var tags = new Dictionary<string, string>(callerTags, StringComparer.OrdinalIgnoreCase)
        {
            [InstanceId] = instanceId,
            [ManagedBy] = ManagedByValue,
        };
        return tags;
    }
}
