using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace DockerVm.Emulator.Tests.Docker;

/// <summary>
/// The emulated daemon answers on the wire the way a real `dockerd --tlsverify` does where a client can tell: each test
/// compares with what dockerd 20.10 sent (RealDockerd, recorded as RealDockerdRecording.md describes).
/// </summary>
public sealed class DockerWireTests : IDisposable
{
    private const string DebianCli = "/usr/bin/docker";
    private const string Openssl = "/usr/bin/openssl";

    private readonly DockerCertificates _certificates = TestPki.Issue("127.0.0.1");
    private readonly EmulatedDockerDaemon _daemon;

    public DockerWireTests()
    {
        var material = DockerTlsMaterial.Load(_certificates.CaPem, _certificates.ServerCertPem, _certificates.ServerKeyPem);
        _daemon = EmulatedDockerDaemon.Start(new IPEndPoint(IPAddress.Loopback, 0), material, new DaemonIdentity("WIRE:TEST", "vm-wire"), NullLogger.Instance);
    }

    public static TheoryData<string> RefusedClients => ["none", "foreign", "server"];

    public void Dispose() => _daemon.Dispose();

    [Fact]
    public async Task Ping_Get_HeadersAndBodyAsDockerd()
    {
        var response = await SendAsync("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal(RealDockerd.PingGetHeaderNames, response.Names);
        Assert.Equal(RealDockerd.Pragma, response.Header("Pragma"));
        Assert.Equal(RealDockerd.CacheControl, response.Header("Cache-Control"));
        Assert.Equal(RealDockerd.PingContentType, response.Header("Content-Type"));
        Assert.Equal(RealDockerd.PingBody, response.Body);
    }

    [Fact]
    public async Task Ping_Head_ContentLengthZeroAsDockerd()
    {
        var response = await SendAsync("HEAD /_ping HTTP/1.1\r\nHost: docker\r\n\r\n", head: true);

        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal(RealDockerd.PingHeadHeaderNames, response.Names);
        Assert.Equal(RealDockerd.HeadPingContentLength, response.Header("Content-Length"));
        Assert.Equal(RealDockerd.Pragma, response.Header("Pragma"));
        Assert.Equal(string.Empty, response.Body);
    }

    [Theory]
    [InlineData("/version")]
    [InlineData("/v1.43/version")]
    [InlineData("/containers/json")]
    public async Task Get_RoutedJson_NoCacheHeadersAsDockerd(string path)
    {
        var response = await SendAsync($"GET {path} HTTP/1.1\r\nHost: docker\r\n\r\n");

        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal(RealDockerd.VersionHeaderNames, response.Names);
        Assert.EndsWith("\n", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_Get_WarningsNullAsDockerd()
    {
        var response = await SendAsync("GET /info HTTP/1.1\r\nHost: docker\r\n\r\n");

        Assert.DoesNotContain("Cache-Control", response.Names);
        Assert.EndsWith(RealDockerd.InfoBodyEnd, response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET /nope")]
    [InlineData("POST /_ping")]
    [InlineData("GET /_ping/")]
    [InlineData("HEAD /version")]
    [InlineData("HEAD /info")]
    public async Task Request_Unrouted_NotFoundAsDockerd(string start)
    {
        var head = start.StartsWith("HEAD", StringComparison.Ordinal);
        var response = await SendAsync($"{start} HTTP/1.1\r\nHost: docker\r\n\r\n", head);

        Assert.Equal(RealDockerd.NotFoundStatusLine, response.StatusLine);
        Assert.Equal(RealDockerd.NotFoundHeaderNames, response.Names);
        Assert.Equal(head ? string.Empty : RealDockerd.NotFoundBody, response.Body);
        Assert.Equal(Encoding.UTF8.GetByteCount(RealDockerd.NotFoundBody).ToString(CultureInfo.InvariantCulture), response.Header("Content-Length"));
    }

    [Fact]
    public async Task PlainHttp_ToTlsPort_GetsDockerdBadRequestText()
    {
        foreach (var request in RealDockerd.PlainHttpRequests)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(_daemon.Endpoint);
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));

            var answer = await ReadToEndAsync(new NetworkStream(socket));

            Assert.Equal(RealDockerd.PlainHttpAnswer, Encoding.ASCII.GetString(answer));
        }
    }

    [Fact]
    public async Task NeitherTlsNorHttp_ToTlsPort_ClosedWithoutAByteAsDockerd()
    {
        foreach (var request in RealDockerd.SilentlyClosedRequests)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(_daemon.Endpoint);
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));

            var answer = await ReadToEndAsync(new NetworkStream(socket));

            Assert.Empty(answer);
        }
    }

    [Theory]
    [MemberData(nameof(RefusedClients))]
    public async Task Handshake_RefusedClientCertificate_BadCertificateAlertAsDockerd(string client)
    {
        using var certificate = Refused(client);

        var handshake = await HandshakeAsync(certificate);

        Assert.NotNull(handshake.Failure);
        Assert.NotNull(handshake.LastAlert);
        Assert.Equal([RealDockerd.AlertLevelFatal, RealDockerd.AlertBadCertificate], handshake.LastAlert);
    }

    [Fact]
    public async Task Handshake_CertificateRequest_NamesTheCaAsDockerd()
    {
        using var client = _certificates.ClientCertificate();
        using var authority = _certificates.Authority();

        var handshake = await HandshakeAsync(client);

        Assert.Null(handshake.Failure);
        Assert.Equal([authority.Subject], handshake.AcceptableIssuers);
    }

    [SkippableTheory]
    [MemberData(nameof(RefusedClients))]
    public async Task DebianCli_RefusedClientCertificate_PrintsWhatDockerdMadeItPrint(string client)
    {
        Skip.IfNot(File.Exists(DebianCli), $"{DebianCli} (Debian's docker.io CLI) is not installed");
        var directory = Directory.CreateTempSubdirectory("docker-wire-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.pem"), _certificates.CaPem);
            var foreign = TestPki.Issue("127.0.0.1");
            (string Cert, string Key)? offending = client switch
            {
                "foreign" => (foreign.ClientCertPem, foreign.ClientKeyPem),
                "server" => (_certificates.ServerCertPem, _certificates.ServerKeyPem),
                _ => null,
            };
            if (offending is { } files)
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, "cert.pem"), files.Cert);
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, "key.pem"), files.Key);
            }

            var (exitCode, stderr) = await RunCliAsync(directory.FullName, tls: true);

            Assert.Equal(1, exitCode);
            Assert.Equal(RealDockerd.CliRefusedCertificate.Replace("HOST:PORT", _daemon.Endpoint.ToString(), StringComparison.Ordinal), stderr);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task DebianCli_IssuedClientSet_VersionWorks()
    {
        Skip.IfNot(File.Exists(DebianCli), $"{DebianCli} (Debian's docker.io CLI) is not installed");
        var directory = Directory.CreateTempSubdirectory("docker-wire-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.pem"), _certificates.CaPem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "cert.pem"), _certificates.ClientCertPem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "key.pem"), _certificates.ClientKeyPem);

            var (exitCode, output) = await RunCliAsync(directory.FullName, tls: true);

            Assert.Equal(0, exitCode);
            Assert.Equal(DockerEngineApi.EngineVersion, output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task DebianCli_PlainHttpToTlsPort_PrintsWhatDockerdMadeItPrint()
    {
        Skip.IfNot(File.Exists(DebianCli), $"{DebianCli} (Debian's docker.io CLI) is not installed");
        var directory = Directory.CreateTempSubdirectory("docker-wire-");
        try
        {
            var (exitCode, stderr) = await RunCliAsync(directory.FullName, tls: false);

            Assert.Equal(1, exitCode);
            Assert.Equal(RealDockerd.CliPlainHttp, stderr);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task OpensslSClient_NoClientCertificate_SeesCaNamesAndAlert42AsDockerd()
    {
        Skip.IfNot(File.Exists(Openssl), $"{Openssl} is not installed");
        var directory = Directory.CreateTempSubdirectory("docker-wire-");
        try
        {
            var ca = Path.Combine(directory.FullName, "ca.pem");
            await File.WriteAllTextAsync(ca, _certificates.CaPem);
            var start = new ProcessStartInfo(Openssl) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "s_client", "-connect", _daemon.Endpoint.ToString(), "-CAfile", ca, "-showcerts" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var output = (await stdout) + (await stderr);

            Assert.Contains(RealDockerd.OpensslCaNamesHeading + "\nCN = Test Docker CA\n", output, StringComparison.Ordinal);
            Assert.Contains(RealDockerd.OpensslBadCertificate, output, StringComparison.Ordinal);
            Assert.Contains(RealDockerd.OpensslAlertNumber, output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private X509Certificate2? Refused(string client) => client switch
    {
        "foreign" => TestPki.Issue("127.0.0.1").ClientCertificate(),
        "server" => ServerAsClient(),
        _ => null,
    };

    private X509Certificate2 ServerAsClient()
    {
        using var ephemeral = X509Certificate2.CreateFromPem(_certificates.ServerCertPem, _certificates.ServerKeyPem);
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <returns>The exit code and, trimmed, stdout on success or stderr on failure.</returns>
    private async Task<(int ExitCode, string Output)> RunCliAsync(string directory, bool tls)
    {
        var start = new ProcessStartInfo(DebianCli) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-H", $"tcp://{_daemon.Endpoint}", "version", "--format", "{{.Server.Version}}" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOCKER_CONFIG"] = directory;
        start.Environment.Remove("DOCKER_HOST");
        start.Environment.Remove("DOCKER_CONTEXT");
        if (tls)
        {
            start.Environment["DOCKER_TLS_VERIFY"] = "1";
            start.Environment["DOCKER_CERT_PATH"] = directory;
        }
        else
        {
            start.Environment.Remove("DOCKER_TLS_VERIFY");
            start.Environment.Remove("DOCKER_CERT_PATH");
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        var error = await stderr;
        return (process.ExitCode, (process.ExitCode == 0 ? output : error).Trim());
    }

    /// <summary>One request over mutual TLS with the good client set, read back byte for byte (header order included).</summary>
    private async Task<RawResponse> SendAsync(string request, bool head = false)
    {
        using var client = _certificates.ClientCertificate();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_daemon.Endpoint);
        await using var tls = new SslStream(new NetworkStream(socket), leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [client],
            RemoteCertificateValidationCallback = TrustsTheCa,
        });
        await tls.WriteAsync(Encoding.ASCII.GetBytes(request));

        var received = new List<byte>();
        var buffer = new byte[16 * 1024];
        int headEnd;
        while ((headEnd = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var read = await tls.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read));
        }

        var lines = Encoding.ASCII.GetString([.. received.Take(headEnd)]).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(": ", 2)).Select(p => (Name: p[0], Value: p[1])).ToList();
        var length = head ? 0 : int.Parse(headers.Single(h => h.Name == "Content-Length").Value, CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            var read = await tls.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read));
        }

        return new RawResponse(lines[0], headers, Encoding.UTF8.GetString([.. received.Skip(headEnd + 4)]));
    }

    /// <summary>A TLS handshake (and one request) watching the raw bytes the daemon sends back.</summary>
    private async Task<Handshake> HandshakeAsync(X509Certificate2? clientCertificate)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_daemon.Endpoint);
        var tap = new TapStream(new NetworkStream(socket, ownsSocket: false));
        string[] issuers = [];
        await using var tls = new SslStream(tap, leaveInnerStreamOpen: false);
        var failure = await Record.ExceptionAsync(async () =>
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = TrustsTheCa,
                LocalCertificateSelectionCallback = (_, _, _, remote, acceptable) =>
                {
                    // .NET asks once before the handshake (no issuers yet); answering null makes it ask again with the
                    // server's certificate request in hand.
                    issuers = acceptable;
                    return remote is null ? null! : clientCertificate!;
                },
            });
            await tls.WriteAsync("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n"u8.ToArray());
            _ = await tls.ReadAsync(new byte[64]);
        });
        return new Handshake(failure, LastAlert(tap.Received), issuers);
    }

    private bool TrustsTheCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        using var authority = _certificates.Authority();
        return certificate is X509Certificate2 server && DockerTlsMaterial.ChainsTo(server, authority);
    }

    /// <summary>The payload of the last plaintext alert record the server sent (alerts before ChangeCipherSpec are in the clear).</summary>
    private static byte[]? LastAlert(byte[] received)
    {
        byte[]? alert = null;
        var encrypted = false;
        for (var offset = 0; offset + 5 <= received.Length;)
        {
            var length = (received[offset + 3] << 8) | received[offset + 4];
            if (offset + 5 + length > received.Length)
            {
                break;
            }

            var type = received[offset];
            if (type == 0x14)
            {
                encrypted = true;
            }
            else if (type == 0x15 && !encrypted)
            {
                alert = received[(offset + 5)..(offset + 5 + length)];
            }

            offset += 5 + length;
        }

        return alert;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var all = new MemoryStream();
        await stream.CopyToAsync(all, timeout.Token);
        return all.ToArray();
    }

    private static int IndexOf(List<byte> bytes, ReadOnlySpan<byte> value) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes).IndexOf(value);

    private sealed record RawResponse(string StatusLine, IReadOnlyList<(string Name, string Value)> Headers, string Body)
    {
        public IReadOnlyList<string> Names => [.. Headers.Select(h => h.Name)];

        public string Header(string name) => Headers.Single(h => h.Name == name).Value;
    }

    private sealed record Handshake(Exception? Failure, byte[]? LastAlert, string[] AcceptableIssuers);

    /// <summary>Keeps a copy of every byte read from the server.</summary>
    private sealed class TapStream(Stream inner) : Stream
    {
        private readonly MemoryStream _received = new();

        public byte[] Received => _received.ToArray();

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            _received.Write(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            _received.Write(buffer, offset, read);
            return read;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _received.Dispose();
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
