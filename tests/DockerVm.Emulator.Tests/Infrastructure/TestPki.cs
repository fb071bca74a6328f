using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>A Docker TLS certificate set, as the product issues it (CA, server cert with SANs, client cert).</summary>
internal sealed record DockerCertificates(string CaPem, string ServerCertPem, string ServerKeyPem, string ClientCertPem, string ClientKeyPem)
{
    public static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));

    public X509Certificate2 ClientCertificate()
    {
        using var ephemeral = X509Certificate2.CreateFromPem(ClientCertPem, ClientKeyPem);
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    public X509Certificate2 Authority() => X509Certificate2.CreateFromPem(CaPem);
}

internal static class TestPki
{
    public static DockerCertificates Issue(string ipAddress, string dnsName = "localhost")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Test Docker CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest($"CN={dnsName}", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        san.AddIpAddress(IPAddress.Parse(ipAddress));
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(12));

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=client", clientKey, HashAlgorithmName.SHA256);
        clientRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, now.AddMinutes(-5), now.AddDays(30), RandomNumberGenerator.GetBytes(12));

        return new DockerCertificates(
            ca.ExportCertificatePem(),
            server.ExportCertificatePem(),
            serverKey.ExportPkcs8PrivateKeyPem(),
            client.ExportCertificatePem(),
            clientKey.ExportPkcs8PrivateKeyPem());
    }
}
