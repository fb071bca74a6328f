using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Docker;

/// <summary>
/// What an extension would leave on the VM: the daemon's TLS files and its TCP port. Read from the extension's
/// settings exactly where the real extensions take them (DockerExtension: protectedSettings.certs; CustomScript:
/// the heredocs its script writes to /etc/docker/*.pem and dockerd's <c>-H tcp://0.0.0.0:port</c>).
/// </summary>
internal sealed partial record DockerInstallPlan(string CaPem, string CertPem, string KeyPem, int Port, bool RequireClientCertificate = true)
{
    public const int DefaultPort = 2376;

    /// <summary>Null when the settings configure no TLS daemon; throws InvalidDataException for bad material.</summary>
    public static DockerInstallPlan? FromDockerExtension(JsonObject? settings, JsonObject? protectedSettings)
    {
        if (protectedSettings?["certs"] is not JsonObject certs)
        {
            return null;
        }

        var ca = DecodePem(certs, "ca");
        var cert = DecodePem(certs, "cert");
        var key = DecodePem(certs, "key");
        var portNode = settings?["docker"]?["port"];
        var port = DefaultPort;
        if (portNode is not null && (!int.TryParse(portNode.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new InvalidDataException($"invalid docker.port '{portNode}': must be a TCP port number");
        }

        return new DockerInstallPlan(ca, cert, key, port);
    }

    /// <summary>Null when the script installs no TLS daemon; throws InvalidDataException for bad material.</summary>
    public static DockerInstallPlan? FromCustomScript(JsonObject? settings, JsonObject? protectedSettings)
    {
        var encoded = (string?)protectedSettings?["script"] ?? (string?)settings?["script"];
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        var script = DecodeScript(encoded);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Heredoc().Matches(script))
        {
            files[match.Groups["file"].Value] = match.Groups["body"].Value + "\n";
        }

        if (files.Count == 0)
        {
            return null;
        }

        foreach (var file in new[] { "ca", "cert", "key" })
        {
            if (!files.ContainsKey(file))
            {
                throw new InvalidDataException($"unable to configure the Docker daemon with file /etc/docker/daemon.json: open /etc/docker/{file}.pem: no such file or directory");
            }
        }

        var host = TcpHost().Match(script);
        if (!host.Success)
        {
            throw new InvalidDataException("dockerd is not configured to listen on TCP (-H tcp://0.0.0.0:<port>); the Docker endpoint would be unreachable");
        }

        // dockerd --tls without --tlsverify serves TLS but accepts any client (docs.docker.com, "Protect the Docker daemon
        // socket"): modelled, so the in-VM check can catch it. No TLS at all is refused.
        var verifies = TlsVerify().IsMatch(script);
        if (!verifies && !Tls().IsMatch(script))
        {
            throw new InvalidDataException("dockerd listens on TCP without --tlsverify; refusing to expose an unauthenticated Docker API");
        }

        var port = int.Parse(host.Groups["port"].Value, CultureInfo.InvariantCulture);
        if (port is < 1 or > 65535)
        {
            throw new InvalidDataException($"invalid listen address tcp://0.0.0.0:{port}");
        }

        return new DockerInstallPlan(files["ca"], files["cert"], files["key"], port, verifies);
    }

    private static string DecodePem(JsonObject certs, string name)
    {
        var value = (string?)certs[name];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidDataException($"certs.{name} is required when certs are given");
        }

        if (value.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value));
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"certs.{name} is not valid base64");
        }
    }

    /// <summary>CustomScript's decodeScript: standard base64, then gzip when the bytes start with its magic.</summary>
    public static string DecodeScript(string encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new InvalidDataException("failed to decode script: illegal base64 data");
        }

        if (bytes is [0x1f, 0x8b, ..])
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            try
            {
                gzip.CopyTo(plain);
            }
            catch (InvalidDataException)
            {
                throw new InvalidDataException("failed to decode script: gzip: invalid header");
            }

            bytes = plain.ToArray();
        }

        return Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"cat\s*>\s*/etc/docker/(?<file>ca|cert|key)\.pem\s*<<-?\s*(?<q>['""]?)(?<tag>[A-Za-z_][A-Za-z0-9_]*)\k<q>[ \t]*\n(?<body>.*?)\n[ \t]*\k<tag>[ \t]*(?=\n|$)", RegexOptions.Singleline)]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"(?:-H|--host)(?:\s+|=)['""]?tcp://[^\s:'""]*:(?<port>\d+)|""hosts""\s*:\s*\[[^\]]*""tcp://[^""]*:(?<port>\d+)""")]
    private static partial Regex TcpHost();

    [GeneratedRegex(@"--tlsverify(?:=true)?(?![=\w-])|""tlsverify""\s*:\s*true")]
    private static partial Regex TlsVerify();

    [GeneratedRegex(@"--tls(?:=true)?(?![=\w-])|""tls""\s*:\s*true")]
    private static partial Regex Tls();
}
