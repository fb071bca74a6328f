using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DockerVm.Provisioning.Activities.Docker;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>Talks to a Docker Engine endpoint the way <c>docker --tlsverify</c> does: server checked against the VM's CA.</summary>
public static class DockerEndpoint
{
    /// <summary>GET <paramref name="path"/> with the given client certificate; throws when the TLS handshake is refused.</summary>
    public static async Task<HttpResponseMessage> GetAsync(string publicIp, int port, string caPem, X509Certificate2? clientCertificate, string path)
    {
        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var http = DockerTlsClient.Create(new IPEndPoint(IPAddress.Parse(publicIp), port), publicIp, ca, clientCertificate, TimeSpan.FromSeconds(10));
        return await http.GetAsync(new Uri(path, UriKind.Relative));
    }

    /// <summary>A client certificate from a CA the daemon never saw.</summary>
    public static X509Certificate2 ForeignClientCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=intruder", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Asserts the daemon refused the client (TLS alert or reset); a reset can surface from the socket itself.</summary>
    public static async Task AssertRefusedAsync(string publicIp, int port, string caPem, X509Certificate2? clientCertificate)
    {
        var failure = await Record.ExceptionAsync(async () => (await GetAsync(publicIp, port, caPem, clientCertificate, "/_ping")).Dispose());
        Assert.True(
            failure is HttpRequestException or System.IO.IOException or System.Net.Sockets.SocketException,
            $"expected the daemon to refuse the client, got {failure?.GetType().Name ?? "an answer"}");
    }
}
