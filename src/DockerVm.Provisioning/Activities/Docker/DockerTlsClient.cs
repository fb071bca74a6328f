using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>
/// HTTP to a Docker Engine endpoint over TLS the way <c>docker --tlsverify</c> connects: the server certificate must name
/// the target host and chain to the given CA and nowhere else, and the client presents its certificate.
/// </summary>
public static class DockerTlsClient
{
    /// <summary>
    /// A client whose requests all connect to <paramref name="endpoint"/> while TLS targets <paramref name="targetHost"/>
    /// (the FQDN need not resolve, e.g. locally); its base address is <c>https://{targetHost}:{endpoint port}/</c>.
    /// The caller keeps <paramref name="ca"/> and <paramref name="clientCertificate"/> alive as long as the client.
    /// </summary>
    public static HttpClient Create(IPEndPoint endpoint, string targetHost, X509Certificate2 ca, X509Certificate2? clientCertificate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(targetHost);
        ArgumentNullException.ThrowIfNull(ca);
        return new HttpClient(CreateHandler(endpoint, ca, clientCertificate))
        {
            BaseAddress = new Uri($"https://{targetHost}:{endpoint.Port}/"),
            Timeout = timeout,
        };
    }

    /// <summary>The name must match (the platform checked it against the target host); the chain must end at the per-VM CA
    /// and nowhere else (the system roots are not consulted).</summary>
    internal static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 ca)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    private static SocketsHttpHandler CreateHandler(IPEndPoint endpoint, X509Certificate2 ca, X509Certificate2? clientCertificate) => new()
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, ca),
        },
    };
}
