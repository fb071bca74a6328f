using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Docker;

/// <summary>
/// A TLS listener that behaves like `dockerd --tlsverify`: it requires a client certificate issued by the host's CA
/// and speaks just enough HTTP/1.1 for the Docker CLI. Everything is async: an idle daemon costs a socket, no thread.
/// </summary>
internal sealed class EmulatedDockerDaemon : IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(60);
    private static readonly byte[] HeaderTerminator = "\r\n\r\n"u8.ToArray();

    // Go's net/http answers these itself, before any handler runs (server.go: conn.serve, readRequest errors).
    private static readonly byte[] PlainHttpAnswer = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n"u8.ToArray();
    private static readonly byte[] BadRequestAnswer = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request"u8.ToArray();
    private static readonly byte[] MissingHostAnswer =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request: missing required Host header"u8.ToArray();
    private static readonly byte[] HeaderTooLargeAnswer =
        "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large"u8.ToArray();

    private readonly Socket _listener;
    private readonly DockerTlsMaterial _material;
    private readonly DaemonIdentity _identity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<IPEndPoint, bool> _admits;
    private readonly bool _requireClientCertificate;
    private long _requests;

    private EmulatedDockerDaemon(
        Socket listener, DockerTlsMaterial material, DaemonIdentity identity, ILogger logger, Func<IPEndPoint, bool> admits, bool requireClientCertificate)
    {
        _admits = admits;
        _requireClientCertificate = requireClientCertificate;
        _listener = listener;
        _material = material;
        _identity = identity;
        _logger = logger;

        // The bound address: a caller may ask for port 0.
        Endpoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    public IPEndPoint Endpoint { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public string HostName => _identity.HostName;

    /// <summary>Binds and starts accepting. Throws <see cref="SocketException"/> when the address is in use.</summary>
    public static EmulatedDockerDaemon Start(
        IPEndPoint endpoint, DockerTlsMaterial material, DaemonIdentity identity, ILogger logger, Func<IPEndPoint, bool>? admits = null, bool requireClientCertificate = true)
    {
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A public IP is reused right after its VM is deleted; without this, TIME_WAIT connections block the bind.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(endpoint);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var daemon = new EmulatedDockerDaemon(listener, material, identity, logger, admits ?? (_ => true), requireClientCertificate);
        _ = daemon.AcceptLoopAsync();
        return daemon;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Dispose();
        _material.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (!Admitted(client))
            {
                continue;
            }

            _ = ServeAsync(client, token);
        }
    }

    /// <summary>
    /// The network in front of the daemon: traffic from the VM's own address is local (never filtered by an NSG); anything
    /// else must pass the NSGs. A dropped connection is reset at once, before any TLS byte (Azure drops the SYN silently,
    /// the caller then times out; user space cannot refuse a SYN, and a reset keeps tests fast). See docs/emulator.md.
    /// </summary>
    private bool Admitted(Socket client)
    {
        if (client.RemoteEndPoint is IPEndPoint remote && (remote.Address.Equals(Endpoint.Address) || _admits(remote)))
        {
            return true;
        }

        DockerLog.ConnectionDropped(_logger, Endpoint, client.RemoteEndPoint);
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
            // Already gone.
        }

        client.Dispose();
        return false;
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        // Head and body go out as two TLS records: with Nagle on, the second waits for the client's delayed ACK (~40 ms per request).
        socket.NoDelay = true;
        var remote = socket.RemoteEndPoint;
        await using var transport = new TlsHandshakeTransport(new NetworkStream(socket, ownsSocket: true));
        await using var stream = new SslStream(transport, leaveInnerStreamOpen: true);
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                handshake.CancelAfter(HandshakeTimeout);
                if (!await OpenTlsAsync(transport, stream, remote, handshake.Token))
                {
                    return;
                }
            }

            await ServeRequestsAsync(stream, stopping);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            Log.DockerConnectionClosed(_logger, Endpoint, ex);
        }
    }

    /// <summary>
    /// The handshake as dockerd's Go server does it: plain HTTP gets net/http's 400 text, a refused client certificate a
    /// bad_certificate alert (see <see cref="TlsHandshakeTransport"/>), and the certificate request names the CA.
    /// False when the connection ends here.
    /// </summary>
    private async Task<bool> OpenTlsAsync(TlsHandshakeTransport transport, SslStream stream, EndPoint? remote, CancellationToken token)
    {
        switch (await transport.ReadOpeningAsync(token))
        {
            case TlsHandshakeTransport.Opening.PlainHttp:
                DockerLog.PlainHttpRefused(_logger, Endpoint, remote);
                await transport.WriteRawAsync(PlainHttpAnswer, token);
                return false;
            case TlsHandshakeTransport.Opening.Other:
                return false;
        }

        var refused = false;
        try
        {
            await stream.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = _material.Context,
                    ClientCertificateRequired = _requireClientCertificate,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,

                    // TLS 1.2 only: a TLS 1.3 client certificate is judged after both Finished messages, when .NET can
                    // no longer send an alert (real dockerd negotiates 1.3; the CLI's message is the same either way).
                    EnabledSslProtocols = SslProtocols.Tls12,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        var accepted = certificate is X509Certificate2 client ? _material.IsValidClient(client) : !_requireClientCertificate;
                        refused = !accepted;
                        return accepted;
                    },
                },
                token);
        }
        catch (AuthenticationException) when (refused)
        {
            DockerLog.ClientCertificateRefused(_logger, Endpoint, remote);
            await transport.RefuseCertificateAsync(token);
            throw;
        }
        catch (AuthenticationException)
        {
            // OpenSSL's own alert (protocol version, handshake failure) is among the held bytes.
            await transport.ReleaseAsync(token);
            throw;
        }

        await transport.ReleaseAsync(token);
        return true;
    }

    private async Task ServeRequestsAsync(SslStream stream, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        while (true)
        {
            int headerEnd;
            while ((headerEnd = buffer.AsSpan(0, filled).IndexOf(HeaderTerminator)) < 0)
            {
                if (filled == buffer.Length)
                {
                    await WriteRawAsync(stream, HeaderTooLargeAnswer, stopping);
                    return;
                }

                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                idle.CancelAfter(IdleTimeout);
                var read = await stream.ReadAsync(buffer.AsMemory(filled), idle.Token);
                if (read == 0)
                {
                    return;
                }

                filled += read;
            }

            var lines = Encoding.ASCII.GetString(buffer, 0, headerEnd).Split("\r\n");
            var requestLine = lines[0].Split(' ');
            if (requestLine.Length != 3 || requestLine[2] is not ("HTTP/1.1" or "HTTP/1.0"))
            {
                await WriteRawAsync(stream, BadRequestAnswer, stopping);
                return;
            }

            var contentLength = 0L;
            var http10 = requestLine[2] == "HTTP/1.0";
            var close = http10;
            var hasHost = false;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    continue;
                }

                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    _ = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out contentLength);
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    close = http10 ? !value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) : value.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
                {
                    hasHost = true;
                }
            }

            if (!http10 && !hasHost)
            {
                await WriteRawAsync(stream, MissingHostAnswer, stopping);
                return;
            }

            // Consume the head and any body (the endpoints served take none).
            var consumed = headerEnd + HeaderTerminator.Length;
            var remaining = filled - consumed;
            Buffer.BlockCopy(buffer, consumed, buffer, 0, remaining);
            filled = remaining;
            while (contentLength > 0)
            {
                if (filled > 0)
                {
                    var take = (int)Math.Min(filled, contentLength);
                    Buffer.BlockCopy(buffer, take, buffer, 0, filled - take);
                    filled -= take;
                    contentLength -= take;
                    continue;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, contentLength)), stopping);
                if (read == 0)
                {
                    return;
                }

                contentLength -= read;
            }

            Interlocked.Increment(ref _requests);
            var method = requestLine[0];
            var response = DockerEngineApi.Handle(method, requestLine[1], _identity);
            await WriteAsync(stream, response, head: method == "HEAD", http10, close, stopping);
            if (close)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Writes the answer in the order Go's net/http does (server.go, chunkWriter.writeHeader): the handler's headers sorted
    /// by name, then Date, Content-Length and the sniffed Content-Type unless the handler set them, then Connection.
    /// A HEAD answer keeps the Content-Length of the body it does not send.
    /// </summary>
    private static async Task WriteAsync(SslStream stream, DockerApiResponse response, bool head, bool http10, bool close, CancellationToken token)
    {
        var payload = Encoding.UTF8.GetBytes(response.Body);
        var reason = response.Status switch { 200 => "OK", 404 => "Not Found", _ => "Error" };
        var headers = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{(http10 ? "HTTP/1.0" : "HTTP/1.1")} {response.Status} {reason}\r\n");
        foreach (var (name, value) in response.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            headers.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        headers.Append(CultureInfo.InvariantCulture, $"Date: {DateTime.UtcNow:R}\r\n");
        if (!response.Headers.ContainsKey("Content-Length"))
        {
            headers.Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n");
        }

        if (!response.Headers.ContainsKey("Content-Type") && response.SniffedContentType is { } sniffed)
        {
            headers.Append(CultureInfo.InvariantCulture, $"Content-Type: {sniffed}\r\n");
        }

        if (http10 && !close)
        {
            headers.Append("Connection: keep-alive\r\n");
        }
        else if (!http10 && close)
        {
            headers.Append("Connection: close\r\n");
        }

        headers.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers.ToString()), token);
        if (!head)
        {
            await stream.WriteAsync(payload, token);
        }

        await stream.FlushAsync(token);
    }

    private static async Task WriteRawAsync(SslStream stream, byte[] answer, CancellationToken token)
    {
        await stream.WriteAsync(answer, token);
        await stream.FlushAsync(token);
    }
}
