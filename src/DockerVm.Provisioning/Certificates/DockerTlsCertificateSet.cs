namespace DockerVm.Provisioning.Certificates;

/// <summary>
/// PEM text as dockerd and the Docker CLI read it (<c>ca.pem</c>, <c>cert.pem</c>, <c>key.pem</c>).
/// Holds private keys: it must never leave the activity that issues it except into Key Vault.
/// <see cref="ToString"/> is overridden so that a stray log line cannot print the keys.
/// </summary>
public sealed class DockerTlsCertificateSet
{
    public required string CaCertificatePem { get; init; }

    public required string ServerCertificatePem { get; init; }

    public required string ServerKeyPem { get; init; }

    public required string ClientCertificatePem { get; init; }

    public required string ClientKeyPem { get; init; }

    /// <summary>Start of validity shared by all three certificates (not secret: usable for Key Vault <c>nbf</c>).</summary>
    public DateTimeOffset NotBefore { get; init; }

    /// <summary>End of validity shared by all three certificates (not secret: usable for Key Vault <c>exp</c>).</summary>
    public DateTimeOffset NotAfter { get; init; }

    public override string ToString() => "DockerTlsCertificateSet { private keys redacted }";
}
