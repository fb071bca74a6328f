using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Requests;

public sealed record CertificateOptions
{
    public CertificateKeyAlgorithm? KeyAlgorithm { get; init; }

    /// <summary>Add <c>localhost</c> and <c>127.0.0.1</c> to the server certificate's SAN.</summary>
    public bool IncludeLoopback { get; init; }

    public int? ValidityDays { get; init; }
}
