namespace DockerVm.Emulator.Docker;

/// <summary>
/// The socket stream under the daemon's <see cref="System.Net.Security.SslStream"/>, doing the two things Go's TLS server
/// does and SslStream cannot: look at the first record header before any TLS (plain HTTP gets net/http's 400 text), and
/// refuse a client certificate with a fatal <c>bad_certificate</c> alert instead of a bare close.
/// </summary>
/// <remarks>
/// On Linux, .NET 10 validates the peer certificate only after OpenSSL has finished the handshake and then just closes
/// (the inline validation that sends alerts is dotnet/runtime PR #115996, .NET 11). So the daemon speaks TLS 1.2 and this
/// stream holds back what SslStream writes until SslStream reads again or the handshake ends: the server's last flight
/// (ChangeCipherSpec, Finished) is still unsent when the certificate is judged, and a plaintext alert is then valid.
/// </remarks>
internal sealed class TlsHandshakeTransport(Stream inner) : Stream
{
    /// <summary>TLS record header: type, version (2), length (2).</summary>
    private const int RecordHeaderLength = 5;

    /// <summary>
    /// Alert record, TLS 1.2, fatal (2), bad_certificate (42): what Go's crypto/tls sends for a missing or unverifiable
    /// client certificate under RequireAndVerifyClientCert (RFC 5246 §7.2).
    /// </summary>
    private static readonly byte[] BadCertificateAlert = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x2A];

    private readonly byte[] _prefix = new byte[RecordHeaderLength];
    private readonly MemoryStream _held = new();
    private int _prefixLength;
    private int _prefixRead;
    private bool _holding = true;

    /// <summary>What the first five bytes look like.</summary>
    public enum Opening
    {
        /// <summary>A TLS handshake or alert record: hand over to SslStream.</summary>
        Tls,

        /// <summary>One of the request starts Go's net/http recognises (tlsRecordHeaderLooksLikeHTTP).</summary>
        PlainHttp,

        /// <summary>Anything else, or the peer closed first: Go closes without a word.</summary>
        Other,
    }

    /// <summary>
    /// Reads the first record header (kept for SslStream to read again). Mirrors crypto/tls conn.go readRecordOrCCS:
    /// the first record must be a handshake or alert with a version below 0x1000, and net/http server.go answers
    /// "GET /", "HEAD ", "POST ", "PUT /" and "OPTIO" with its 400 text.
    /// </summary>
    public async Task<Opening> ReadOpeningAsync(CancellationToken token)
    {
        while (_prefixLength < RecordHeaderLength)
        {
            var read = await inner.ReadAsync(_prefix.AsMemory(_prefixLength), token);
            if (read == 0)
            {
                return Opening.Other;
            }

            _prefixLength += read;
        }

        if (System.Text.Encoding.ASCII.GetString(_prefix) is "GET /" or "HEAD " or "POST " or "PUT /" or "OPTIO")
        {
            return Opening.PlainHttp;
        }

        var looksLikeTls = _prefix[0] is 0x15 or 0x16 && ((_prefix[1] << 8) | _prefix[2]) < 0x1000;
        return looksLikeTls ? Opening.Tls : Opening.Other;
    }

    /// <summary>Writes bytes straight to the socket (for the answer to plain HTTP, before any TLS).</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken token)
    {
        await inner.WriteAsync(bytes, token);
        await inner.FlushAsync(token);
    }

    /// <summary>The handshake succeeded, or failed on its own terms: send what SslStream wrote and stop holding.</summary>
    public async Task ReleaseAsync(CancellationToken token)
    {
        _holding = false;
        await FlushHeldAsync(token);
    }

    /// <summary>The client certificate was refused: drop the held flight and send the alert in its place.</summary>
    public async Task RefuseCertificateAsync(CancellationToken token)
    {
        _holding = false;
        _held.SetLength(0);
        await WriteRawAsync(BadCertificateAlert, token);
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // SslStream reads only when it waits for the peer, so whatever it wrote before must be on the wire by now.
        await FlushHeldAsync(cancellationToken);
        if (_prefixRead < _prefixLength)
        {
            var count = Math.Min(buffer.Length, _prefixLength - _prefixRead);
            _prefix.AsMemory(_prefixRead, count).CopyTo(buffer);
            _prefixRead += count;
            return count;
        }

        return await inner.ReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_holding)
        {
            _held.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _holding ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _held.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _held.Dispose();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private async Task FlushHeldAsync(CancellationToken token)
    {
        if (_held.Length == 0)
        {
            return;
        }

        await inner.WriteAsync(_held.GetBuffer().AsMemory(0, (int)_held.Length), token);
        _held.SetLength(0);
        await inner.FlushAsync(token);
    }
}
