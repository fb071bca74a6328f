namespace DockerVm.Provisioning.Tests.Infrastructure;

/// <summary>The order cleanup must delete in: the VM, then its NIC, then the rest (any order: they go together).</summary>
internal static class DeletionOrder
{
    public static void AssertStaged(IReadOnlyCollection<string> created, IReadOnlyList<string> deleted)
    {
        var vms = created.Where(id => id.Contains("/virtualMachines/", StringComparison.OrdinalIgnoreCase)).ToList();
        var nics = created.Where(id => id.Contains("/networkInterfaces/", StringComparison.OrdinalIgnoreCase)).ToList();
        var rest = created.Except(vms).Except(nics).ToList();
        Assert.Equal(vms, deleted.Take(vms.Count));
        Assert.Equal(nics, deleted.Skip(vms.Count).Take(nics.Count));
        Assert.Equal(rest.Order(StringComparer.Ordinal), deleted.Skip(vms.Count + nics.Count).Order(StringComparer.Ordinal));
    }
}
