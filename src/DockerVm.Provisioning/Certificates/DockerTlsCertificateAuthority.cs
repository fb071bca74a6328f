using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Certificates;

/// <summary>
/// A throw-away CA per VM, built with <see cref="CertificateRequest"/> only: its key signs one server and one client
/// certificate and is then discarded, so nothing else can ever be issued under it. dockerd trusts exactly this CA for
/// clients (<c>--tlsverify --tlscacert</c>) and clients trust exactly this CA for the daemon.
/// </summary>
public sealed partial class DockerTlsCertificateAuthority(TimeProvider timeProvider, ILogger<DockerTlsCertificateAuthority> logger)
    : IDockerTlsCertificateAuthority
{
    /// <summary>Back-dating absorbs clock skew between this host, the VM and the caller.</summary>
    public static readonly TimeSpan NotBeforeSkew = TimeSpan.FromMinutes(5);

    public const int MaxValidityDays = ProvisionRequestValidator.MaxCertificateValidityDays;

    private const string Organization = "DockerVmFunctions";
    private const int MaxCommonNameLength = 64;

    public DockerTlsCertificateSet Issue(DockerTlsIssueRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.SubjectName);
        ArgumentNullException.ThrowIfNull(request.ServerDnsNames);
        ArgumentNullException.ThrowIfNull(request.ServerIpAddresses);
        if (request.ServerDnsNames.Count == 0 && request.ServerIpAddresses.Count == 0)
        {
            throw new ArgumentException("The server certificate needs at least one DNS name or IP address.", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(request.ValidityDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.ValidityDays, MaxValidityDays);
        if (!Enum.IsDefined(request.KeyAlgorithm))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.KeyAlgorithm, "Unknown key algorithm.");
        }

        var now = timeProvider.GetUtcNow();
        var notBefore = TruncateToSeconds(now - NotBeforeSkew);
        var notAfter = TruncateToSeconds(now.AddDays(request.ValidityDays));

        using var caKey = CreateKey(request.KeyAlgorithm);
        var caName = Name(request.SubjectName, " Docker CA");
        var caRequest = CreateRequest(caName, caKey);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        var caSki = new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false);
        caRequest.CertificateExtensions.Add(caSki);
        var caSigner = CreateSigner(caKey);
        using var caCertificate = caRequest.Create(caName, caSigner, notBefore, notAfter, NewSerialNumber());
        var aki = X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSki);

        using var serverKey = CreateKey(request.KeyAlgorithm);
        var serverRequest = CreateLeafRequest(Name(request.SubjectName, string.Empty), serverKey, aki, Oids.ServerAuth, request.KeyAlgorithm);
        // Each name once: the public IP can be the loopback address that IncludeLoopback adds too (and DNS names compare
        // without case, RFC 4343), and a repeated SAN entry is noise every client has to parse.
        var san = new SubjectAlternativeNameBuilder();
        foreach (var dnsName in request.ServerDnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            san.AddDnsName(dnsName);
        }

        foreach (var address in request.ServerIpAddresses.Distinct())
        {
            san.AddIpAddress(address);
        }

        serverRequest.CertificateExtensions.Add(san.Build(critical: false));
        using var serverCertificate = serverRequest.Create(caName, caSigner, notBefore, notAfter, NewSerialNumber());

        using var clientKey = CreateKey(request.KeyAlgorithm);
        var clientRequest = CreateLeafRequest(Name(request.SubjectName, " Docker client"), clientKey, aki, Oids.ClientAuth, request.KeyAlgorithm);
        using var clientCertificate = clientRequest.Create(caName, caSigner, notBefore, notAfter, NewSerialNumber());

        LogIssued(logger, request.SubjectName, request.KeyAlgorithm, caCertificate.Thumbprint, notAfter);
        return new DockerTlsCertificateSet
        {
            CaCertificatePem = caCertificate.ExportCertificatePem() + "\n",
            ServerCertificatePem = serverCertificate.ExportCertificatePem() + "\n",
            ServerKeyPem = serverKey.ExportPkcs8PrivateKeyPem() + "\n",
            ClientCertificatePem = clientCertificate.ExportCertificatePem() + "\n",
            ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem() + "\n",
            NotBefore = notBefore,
            NotAfter = notAfter,
        };
    }

    private static CertificateRequest CreateLeafRequest(
        X500DistinguishedName subject, AsymmetricAlgorithm key, X509AuthorityKeyIdentifierExtension aki, string usageOid, CertificateKeyAlgorithm algorithm)
    {
        var request = CreateRequest(subject, key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));

        // RSA TLS key exchange (TLS 1.2 non-ECDHE suites) needs keyEncipherment on the server; ECDSA keys only sign.
        var usage = X509KeyUsageFlags.DigitalSignature;
        if (algorithm != CertificateKeyAlgorithm.EcdsaP256 && usageOid == Oids.ServerAuth)
        {
            usage |= X509KeyUsageFlags.KeyEncipherment;
        }

        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(aki);
        return request;
    }

    private static CertificateRequest CreateRequest(X500DistinguishedName subject, AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
        RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException(),
    };

    private static X509SignatureGenerator CreateSigner(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new NotSupportedException(),
    };

    private static AsymmetricAlgorithm CreateKey(CertificateKeyAlgorithm algorithm) => algorithm switch
    {
        CertificateKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CertificateKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        CertificateKeyAlgorithm.Rsa3072 => RSA.Create(3072),
        CertificateKeyAlgorithm.Rsa4096 => RSA.Create(4096),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    private static X500DistinguishedName Name(string subjectName, string suffix)
    {
        var commonName = subjectName.Length + suffix.Length > MaxCommonNameLength
            ? subjectName[..(MaxCommonNameLength - suffix.Length)] + suffix
            : subjectName + suffix;
        var builder = new X500DistinguishedNameBuilder();
        builder.AddOrganizationName(Organization);
        builder.AddCommonName(commonName);
        return builder.Build();
    }

    /// <summary>RFC 5280: positive, at most 20 octets, unpredictable (CA/B Forum asks for ≥ 64 random bits; this has 127).</summary>
    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Issued Docker TLS certificate set for {SubjectName} ({KeyAlgorithm}), CA thumbprint {CaThumbprint}, valid until {NotAfter}")]
    private static partial void LogIssued(ILogger logger, string subjectName, CertificateKeyAlgorithm keyAlgorithm, string caThumbprint, DateTimeOffset notAfter);

    private static class Oids
    {
        public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
        public const string ClientAuth = "1.3.6.1.5.5.7.3.2";
    }
}
