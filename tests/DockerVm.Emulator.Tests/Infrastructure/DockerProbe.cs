using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>A Docker Engine API client the way `docker --tlsverify` connects: client certificate, server checked against the CA.</summary>
internal static class DockerProbe
{
    /// <param name="source">The local address to connect from (a distinct loopback address stands for a distinct actor).</param>
    public static HttpClient Client(string address, int port, X509Certificate2 authority, X509Certificate2? clientCertificate, System.Net.IPAddress? source = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = source is null ? null : async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new System.Net.IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
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

    /// <summary>
    /// Asserts the daemon never answered: the connection was reset, or TLS refused the client. A reset that lands right
    /// after connect can surface from the socket itself (ENOTCONN on the peer address) rather than wrapped by HttpClient.
    /// </summary>
    public static async Task AssertRefusedAsync(HttpClient docker, string path = "_ping")
    {
        var failure = await Record.ExceptionAsync(() => docker.GetStringAsync(new Uri(path, UriKind.Relative)));
        Assert.True(
            failure is HttpRequestException or System.IO.IOException or System.Net.Sockets.SocketException,
            $"expected the connection to be refused, got {failure?.GetType().Name ?? "an answer"}");
    }
}
