using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>Talks to a Docker Engine endpoint the way <c>docker --tlsverify</c> does: server checked against the VM's CA.</summary>
public static class DockerEndpoint
{
    /// <summary>GET <paramref name="path"/> with the given client certificate; throws when the TLS handshake is refused.</summary>
    public static async Task<HttpResponseMessage> GetAsync(string publicIp, int port, string caPem, X509Certificate2? clientCertificate, string path)
    {
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(caPem);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsIssuedBy(certificate, ca, errors),
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetAsync(new Uri($"https://{publicIp}:{port}{path}"));
    }

    /// <summary>A client certificate from a CA the daemon never saw.</summary>
    public static X509Certificate2 ForeignClientCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=intruder", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    static bool IsIssuedBy(X509Certificate? certificate, X509Certificate2 ca, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
