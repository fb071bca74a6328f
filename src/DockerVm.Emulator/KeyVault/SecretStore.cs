using System.Text.Json.Nodes;

namespace DockerVm.Emulator.KeyVault;

/// <summary>One version of a secret.</summary>
internal sealed class SecretVersion
{
    public required string Version { get; init; }

    public required string Value { get; init; }

    public string? ContentType { get; set; }

    public JsonObject? Tags { get; set; }

    public bool Enabled { get; set; } = true;

    public long? NotBefore { get; set; }

    public long? Expires { get; set; }

    public required long Created { get; init; }

    public long Updated { get; set; }
}

/// <summary>A secret name and its versions (newest last).</summary>
internal sealed class SecretEntry(string name)
{
    public string Name { get; } = name;

    public List<SecretVersion> Versions { get; } = [];

    public SecretVersion Latest => Versions[^1];
}

/// <summary>A soft-deleted secret, recoverable until purged.</summary>
internal sealed class DeletedSecret(SecretEntry entry, DateTimeOffset deletedOn, DateTimeOffset visibleFrom)
{
    public SecretEntry Entry { get; } = entry;

    public DateTimeOffset DeletedOn { get; } = deletedOn;

    /// <summary>Until then the deletion is still in progress (GET deletedsecrets answers 404), like the service.</summary>
    public DateTimeOffset VisibleFrom { get; } = visibleFrom;
}

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
