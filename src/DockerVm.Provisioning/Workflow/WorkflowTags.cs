namespace DockerVm.Provisioning.Workflow;

/// <summary>Tags the workflow puts on what it creates, so resources and secrets can be traced to a VM and an instance.</summary>
public static class WorkflowTags
{
    public const string InstanceId = "dockervm-instance";
    public const string ManagedBy = "dockervm-managed-by";
    public const string ManagedByValue = "DockerVmFunctions";
    public const string VmResourceId = "dockervm-vm";

    /// <summary>Identifies one issuance: the five secrets of a consistent certificate set share it.</summary>
    public const string CertificateSet = "dockervm-tls-set";

    /// <summary>Caller tags plus the workflow's own (which win over a caller tag of the same name).</summary>
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
