namespace DockerVm.Emulator.KeyVault;

/// <summary>A secret name and its versions (newest last).</summary>
internal sealed class SecretEntry(string name)
{
    public string Name { get; } = name;

    public List<SecretVersion> Versions { get; } = [];

    public SecretVersion Latest => Versions[^1];
}
