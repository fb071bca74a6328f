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

    private readonly Socket _listener;
    private readonly DockerTlsMaterial _material;
    private readonly DaemonIdentity _identity;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<IPEndPoint, bool> _admits;
    private readonly bool _requireClientCertificate;
    private long _requests;

    private EmulatedDockerDaemon(
        Socket listener, DockerTlsMaterial material, DaemonIdentity identity, IPEndPoint endpoint, ILogger logger, Func<IPEndPoint, bool> admits, bool requireClientCertificate)
    {
        _admits = admits;
        _requireClientCertificate = requireClientCertificate;
        _listener = listener;
        _material = material;
        _identity = identity;
        _logger = logger;
        Endpoint = endpoint;
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

        var daemon = new EmulatedDockerDaemon(listener, material, identity, endpoint, logger, admits ?? (_ => true), requireClientCertificate);
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
        await using var stream = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                handshake.CancelAfter(HandshakeTimeout);
                await stream.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = _material.Context,
                        ClientCertificateRequired = _requireClientCertificate,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                            certificate is X509Certificate2 client ? _material.IsValidClient(client) : !_requireClientCertificate,
                    },
                    handshake.Token);
            }

            await ServeRequestsAsync(stream, stopping);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            Log.DockerConnectionClosed(_logger, Endpoint, ex);
        }
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
                    await WriteAsync(stream, 431, "application/json", """{"message":"request header too large"}""", head: false, close: true, stopping);
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
            if (requestLine.Length != 3)
            {
                await WriteAsync(stream, 400, "application/json", """{"message":"malformed request"}""", head: false, close: true, stopping);
                return;
            }

            var contentLength = 0L;
            var close = requestLine[2] == "HTTP/1.0";
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
                    close = value.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
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
            var (status, contentType, body) = DockerEngineApi.Handle(method, requestLine[1], _identity);
            await WriteAsync(stream, status, contentType, body, head: method == "HEAD", close, stopping);
            if (close)
            {
                return;
            }
        }
    }

    private static async Task WriteAsync(SslStream stream, int status, string contentType, string body, bool head, bool close, CancellationToken token)
    {
        var payload = Encoding.UTF8.GetBytes(body);
        var reason = status switch { 200 => "OK", 400 => "Bad Request", 404 => "Not Found", 431 => "Request Header Fields Too Large", _ => "Error" };
        var headers = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Api-Version: {DockerEngineApi.ApiVersion}\r\n")
            .Append("Docker-Experimental: false\r\n")
            .Append("Ostype: linux\r\n")
            .Append(CultureInfo.InvariantCulture, $"Server: Docker/{DockerEngineApi.EngineVersion} (linux)\r\n")
            .Append("Cache-Control: no-cache, no-store, must-revalidate\r\n")
            .Append(CultureInfo.InvariantCulture, $"Date: {DateTime.UtcNow:R}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n")
            .Append(close ? "Connection: close\r\n" : string.Empty)
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(headers.ToString()), token);
        if (!head)
        {
            await stream.WriteAsync(payload, token);
        }

        await stream.FlushAsync(token);
    }
}
