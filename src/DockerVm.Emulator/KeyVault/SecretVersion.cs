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
