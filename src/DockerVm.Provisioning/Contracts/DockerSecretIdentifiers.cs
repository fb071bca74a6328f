namespace DockerVm.Provisioning.Contracts;

/// <summary>Key Vault identifiers (URIs) of the five PEM secrets of one Docker host.</summary>
public sealed record DockerSecretIdentifiers(
    Uri CaCertificate,
    Uri ServerCertificate,
    Uri ServerKey,
    Uri ClientCertificate,
    Uri ClientKey)
{
    /// <summary>Secret names (last path segment before the version), for deletion.</summary>
    public IReadOnlyList<string> Names =>
        [.. new[] { CaCertificate, ServerCertificate, ServerKey, ClientCertificate, ClientKey }.Select(SecretName)];

    internal static string SecretName(Uri id) => id.Segments.Length > 2 ? id.Segments[2].TrimEnd('/') : id.AbsolutePath;
}
