namespace DockerVm.Emulator.KeyVault;

/// <summary>Key Vault secret state: live secrets and soft-deleted ones. Callers hold <see cref="Gate"/>.</summary>
internal sealed class SecretStore
{
    public Lock Gate { get; } = new();

    public Dictionary<string, SecretEntry> Live { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, DeletedSecret> Deleted { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Clear()
    {
        lock (Gate)
        {
            Live.Clear();
            Deleted.Clear();
        }
    }
}
