using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DockerVm.Emulator.Docker;

/// <summary>
/// The TLS files a Docker host gets (/etc/docker/{ca,cert,key}.pem), validated the way dockerd would:
/// each parses, the key matches the certificate, the server certificate chains to the CA.
/// </summary>
internal sealed class DockerTlsMaterial : IDisposable
{
    private DockerTlsMaterial(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
        // dockerd's tls.Config.ClientCAs is the CA file, and Go names its subjects in the CertificateRequest
        // ("Acceptable client certificate CA names" in openssl s_client); clients pick their certificate by it.
        // .NET can send a collection's names on Linux only.
        var trust = OperatingSystem.IsLinux() ? SslCertificateTrust.CreateForX509Collection([authority], sendTrustInHandshake: true) : null;
        Context = SslStreamCertificateContext.Create(server, [authority], offline: true, trust: trust);
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2 Server { get; }

    public SslStreamCertificateContext Context { get; }

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> with dockerd-like messages.</summary>
    public static DockerTlsMaterial Load(string caPem, string certPem, string keyPem)
    {
        X509Certificate2 authority;
        try
        {
            authority = X509Certificate2.CreateFromPem(caPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException("failed to load CA certificate /etc/docker/ca.pem: could not read CA certificate: x509: malformed certificate");
        }

        if (authority.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            authority.Dispose();
            throw new InvalidDataException("failed to load CA certificate /etc/docker/ca.pem: certificate is not a certificate authority (basicConstraints CA:FALSE)");
        }

        X509Certificate2 server;
        try
        {
            server = LoadKeyPair(certPem, keyPem);
        }
        catch (InvalidDataException)
        {
            authority.Dispose();
            throw;
        }

        if (!ChainsTo(server, authority))
        {
            authority.Dispose();
            server.Dispose();
            throw new InvalidDataException("server certificate /etc/docker/cert.pem is not signed by /etc/docker/ca.pem: x509: certificate signed by unknown authority");
        }

        return new DockerTlsMaterial(authority, server);
    }

    private static X509Certificate2 LoadKeyPair(string certPem, string keyPem)
    {
        const string Prefix = "could not load X509 key pair (/etc/docker/cert.pem, /etc/docker/key.pem): ";
        try
        {
            using var alone = X509Certificate2.CreateFromPem(certPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException(Prefix + "tls: failed to find any PEM data in certificate input");
        }

        if (!CanImportKey(keyPem))
        {
            throw new InvalidDataException(Prefix + "tls: failed to find any PEM data in key input");
        }

        try
        {
            using var ephemeral = X509Certificate2.CreateFromPem(certPem, keyPem);

            // PKCS#12 round-trip gives a key SslStream can use on every platform.
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException(Prefix + "tls: private key does not match public key");
        }
    }

    private static bool CanImportKey(string keyPem)
    {
        try
        {
            using var ec = ECDsa.Create();
            ec.ImportFromPem(keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="certificate"/> chains to exactly <paramref name="authority"/>.</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        if (!chain.Build(certificate))
        {
            return false;
        }

        var root = chain.ChainElements[^1].Certificate;
        return root.RawDataMemory.Span.SequenceEqual(authority.RawDataMemory.Span);
    }

    /// <summary>Client certificates must chain to the host's CA and allow client authentication.</summary>
    public bool IsValidClient(X509Certificate2 client)
    {
        var eku = client.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is not null && !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == "1.3.6.1.5.5.7.3.2"))
        {
            return false;
        }

        return ChainsTo(client, Authority);
    }

    public void Dispose()
    {
        Server.Dispose();
        Authority.Dispose();
    }
}
