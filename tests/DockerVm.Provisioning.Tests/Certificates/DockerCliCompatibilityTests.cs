using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Provisioning.Tests.Certificates;

/// <summary>
/// The real Docker CLI (Go's TLS stack) reads the issued ca.pem/cert.pem/key.pem and talks to a TLS endpoint that,
/// like dockerd with --tlsverify, requires a client certificate from the per-VM CA. Runs when a docker CLI is on PATH.
/// </summary>
public sealed class DockerCliCompatibilityTests
{
    private static readonly string? DockerCli = FindOnPath("docker");

    [SkippableFact]
    public async Task DockerCli_ClientCertFromForeignCa_IsRefusedByTheDaemon()
    {
        Skip.If(DockerCli is null, "No docker CLI on PATH; the in-process SslStream tests still cover the handshake.");

        var authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);
        var set = authority.Issue(new DockerTlsIssueRequest("dockerhost1", ["localhost"], [IPAddress.Loopback], CertificateKeyAlgorithm.EcdsaP256, 30));
        var foreign = authority.Issue(new DockerTlsIssueRequest("other", ["localhost"], [IPAddress.Loopback], CertificateKeyAlgorithm.EcdsaP256, 30));
        var directory = Directory.CreateTempSubdirectory("dockervm-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.pem"), set.CaCertificatePem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "cert.pem"), foreign.ClientCertificatePem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "key.pem"), foreign.ClientKeyPem);

            using var daemon = new FakeTlsDockerDaemon(set);
            var (exitCode, output) = await RunDockerAsync(directory.FullName, daemon.Port);

            Assert.NotEqual(0, exitCode);
            Assert.DoesNotContain("28.0.0-fake", output, StringComparison.Ordinal);
            Assert.False(daemon.ClientCertificateAccepted);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048)]
    public async Task DockerCli_IssuedPemFiles_TlsVerifyVersionSucceeds(CertificateKeyAlgorithm algorithm)
    {
        Skip.If(DockerCli is null, "No docker CLI on PATH; the in-process SslStream tests still cover the handshake.");

        var authority = new DockerTlsCertificateAuthority(TimeProvider.System, NullLogger<DockerTlsCertificateAuthority>.Instance);
        var set = authority.Issue(new DockerTlsIssueRequest("dockerhost1", ["dockerhost1.westeurope.cloudapp.azure.com", "localhost"], [IPAddress.Loopback], algorithm, 30));
        var directory = Directory.CreateTempSubdirectory("dockervm-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.pem"), set.CaCertificatePem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "cert.pem"), set.ClientCertificatePem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "key.pem"), set.ClientKeyPem);

            using var daemon = new FakeTlsDockerDaemon(set);
            var (exitCode, output) = await RunDockerAsync(directory.FullName, daemon.Port);

            Assert.True(exitCode == 0, output);
            Assert.Contains("28.0.0-fake", output, StringComparison.Ordinal);
            Assert.True(daemon.ClientCertificateAccepted);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunDockerAsync(string certDirectory, int port)
    {
        var start = new ProcessStartInfo(DockerCli!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--tlsverify", "--tlscacert", Path.Combine(certDirectory, "ca.pem"), "--tlscert", Path.Combine(certDirectory, "cert.pem"),
            "--tlskey", Path.Combine(certDirectory, "key.pem"), "-H", $"tcp://127.0.0.1:{port}", "version", "--format", "{{.Server.Version}}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOCKER_CONFIG"] = certDirectory;
        start.Environment.Remove("DOCKER_HOST");
        start.Environment.Remove("DOCKER_CONTEXT");
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    /// <summary>Answers the two calls <c>docker version</c> makes (<c>/_ping</c>, <c>/vX/version</c>) over mutual TLS.</summary>
    private sealed class FakeTlsDockerDaemon : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly X509Certificate2 _serverCertificate;
        private readonly X509Certificate2 _ca;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public FakeTlsDockerDaemon(DockerTlsCertificateSet set)
        {
            _serverCertificate = X509Certificate2.CreateFromPem(set.ServerCertificatePem, set.ServerKeyPem);
            _ca = X509Certificate2.CreateFromPem(set.CaCertificatePem);
            _listener.Start();
            _loop = Task.Run(AcceptLoopAsync);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public bool ClientCertificateAccepted { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _loop.Wait(TimeSpan.FromSeconds(5));
            _serverCertificate.Dispose();
            _ca.Dispose();
            _stop.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            using (var tls = new SslStream(client.GetStream()))
            {
                try
                {
                    var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
                    policy.CustomTrustStore.Add(_ca);
                    policy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2"));
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _serverCertificate,
                        ClientCertificateRequired = true,
                        CertificateChainPolicy = policy,
                        RemoteCertificateValidationCallback = (_, cert, _, errors) => cert is not null && errors == SslPolicyErrors.None,
                    }, _stop.Token);
                    ClientCertificateAccepted = true;
                    while (await ReadRequestLineAsync(tls) is { } requestLine)
                    {
                        var path = requestLine.Split(' ')[1];
                        var body = path.EndsWith("/version", StringComparison.Ordinal)
                            ? """{"Version":"28.0.0-fake","ApiVersion":"1.43","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64","GitCommit":"fake","GoVersion":"go1.22","KernelVersion":"6.0","BuildTime":"2026-01-01T00:00:00Z"}"""
                            : "OK";
                        var contentType = body == "OK" ? "text/plain; charset=utf-8" : "application/json";
                        var head = requestLine.StartsWith("HEAD", StringComparison.Ordinal);
                        var response = $"HTTP/1.1 200 OK\r\nApi-Version: 1.43\r\nOstype: linux\r\nServer: Docker/28.0.0-fake (linux)\r\nContent-Type: {contentType}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{(head ? string.Empty : body)}";
                        await tls.WriteAsync(Encoding.UTF8.GetBytes(response), _stop.Token);
                    }
                }
                catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
                {
                    // The CLI closing a connection, or a rejected client: nothing to answer.
                }
            }
        }

        /// <summary>Reads one request's head (no bodies: the CLI sends none for these calls) and returns its request line.</summary>
        private async Task<string?> ReadRequestLineAsync(SslStream stream)
        {
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, _stop.Token) == 0)
                {
                    return null;
                }

                head.Append((char)one[0]);
            }

            return head.ToString().Split("\r\n")[0];
        }
    }
}
