using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>A Docker Engine API client the way `docker --tlsverify` connects: client certificate, server checked against the CA.</summary>
internal static class DockerProbe
{
    public static HttpClient Client(string address, int port, X509Certificate2 authority, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is not X509Certificate2 server || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(server);
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{address}:{port}/"), Timeout = TimeSpan.FromSeconds(15) };
    }
}
