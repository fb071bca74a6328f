namespace DockerVm.Emulator.KeyVault;

/// <summary>A soft-deleted secret, recoverable until purged.</summary>
internal sealed class DeletedSecret(SecretEntry entry, DateTimeOffset deletedOn, DateTimeOffset visibleFrom)
{
    public SecretEntry Entry { get; } = entry;

    public DateTimeOffset DeletedOn { get; } = deletedOn;

    /// <summary>Until then the deletion is still in progress (GET deletedsecrets answers 404), like the service.</summary>
    public DateTimeOffset VisibleFrom { get; } = visibleFrom;
}
