namespace DockerVm.Emulator.Tests.Docker;

/// <summary>
/// Answers of a real dockerd 20.10.24+dfsg1 (Debian 12 docker.io, go1.19.8, `--tlsverify`), recorded in a network
/// namespace with curl, openssl s_client, a raw socket and Debian's CLI 20.10.24: see RealDockerdRecording.md for how.
/// Only the wire shape is kept; engine versions and dates differ from the emulated daemon on purpose. Not a constant:
/// the certificate request names the --tlscacert CA alone (s_client "Acceptable client certificate CA names").
/// </summary>
internal static class RealDockerd
{
    public const string Version = "20.10.24+dfsg1";

    /// <summary>GET /_ping: header names in wire order.</summary>
    public static readonly string[] PingGetHeaderNames =
        ["Api-Version", "Cache-Control", "Docker-Experimental", "Ostype", "Pragma", "Server", "Date", "Content-Length", "Content-Type"];

    /// <summary>HEAD /_ping: the handler sets Content-Type and Content-Length itself, so they sort in with the rest.</summary>
    public static readonly string[] PingHeadHeaderNames =
        ["Api-Version", "Cache-Control", "Content-Length", "Content-Type", "Docker-Experimental", "Ostype", "Pragma", "Server", "Date"];

    /// <summary>GET /version (and every other routed JSON answer of fixed length): no Cache-Control, no Pragma.</summary>
    public static readonly string[] VersionHeaderNames =
        ["Api-Version", "Content-Type", "Docker-Experimental", "Ostype", "Server", "Date", "Content-Length"];

    /// <summary>An unrouted request (GET /nope, POST /_ping, HEAD /version, GET /_ping/): none of the version headers.</summary>
    public static readonly string[] NotFoundHeaderNames = ["Content-Type", "Date", "Content-Length"];

    public const string PingBody = "OK";

    public const string PingContentType = "text/plain; charset=utf-8";

    public const string CacheControl = "no-cache, no-store, must-revalidate";

    public const string Pragma = "no-cache";

    public const string HeadPingContentLength = "0";

    public const string NotFoundStatusLine = "HTTP/1.1 404 Not Found";

    public const string NotFoundBody = "{\"message\":\"page not found\"}\n";

    /// <summary>The tail of GET /info's body with nothing to warn about.</summary>
    public const string InfoBodyEnd = "\"Warnings\":null}\n";

    /// <summary>Everything a plain-HTTP request to the TLS port gets, then the connection closes.</summary>
    public const string PlainHttpAnswer = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

    /// <summary>Request starts that got <see cref="PlainHttpAnswer"/>; "DELETE /x" and junk got nothing but a close.</summary>
    public static readonly string[] PlainHttpRequests =
        ["GET /_ping HTTP/1.1\r\nHost: x\r\n\r\n", "HEAD / HTTP/1.1\r\n\r\n", "POST /x HTTP/1.1\r\n\r\n", "PUT /x HTTP/1.1\r\n\r\n", "OPTIONS / HTTP/1.1\r\n\r\n"];

    /// <summary>What got nothing back but a close (the first record header is neither TLS nor an HTTP start Go knows).</summary>
    public static readonly string[] SilentlyClosedRequests = ["DELETE /x HTTP/1.1\r\n\r\n", "hello\r\n", "\0\0\0\0\0\0"];

    /// <summary>The alert for no client cert, a foreign CA's cert and the server cert as client: fatal, bad_certificate (SSL alert number 42).</summary>
    public const byte AlertLevelFatal = 2;

    public const byte AlertBadCertificate = 42;

    /// <summary>`openssl s_client -showcerts`: the line before the CA subjects of the certificate request.</summary>
    public const string OpensslCaNamesHeading = "Acceptable client certificate CA names";

    /// <summary>`openssl s_client` (3.0) once the alert arrives, for each refused client (source file/line left out).</summary>
    public const string OpensslBadCertificate = "sslv3 alert bad certificate";

    public const string OpensslAlertNumber = "SSL alert number 42";

    /// <summary>Debian CLI stderr for each refused certificate; HOST:PORT stands for the daemon's address.</summary>
    public const string CliRefusedCertificate =
        "the server probably has client authentication (--tlsverify) enabled; check your TLS client certification settings: Get \"https://HOST:PORT/v1.24/version\": remote error: tls: bad certificate";

    /// <summary>Debian CLI stderr for `docker -H tcp://host:port version` without TLS against the TLS port.</summary>
    public const string CliPlainHttp = "Error response from daemon: Client sent an HTTP request to an HTTPS server.";
}
