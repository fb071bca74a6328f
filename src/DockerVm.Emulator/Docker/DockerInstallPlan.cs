using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Compute;

namespace DockerVm.Emulator.Docker;

/// <summary>
/// What an extension would leave on the VM: the daemon's TLS files and its TCP port. Read from the extension's
/// settings exactly where the real extensions take them (DockerExtension: protectedSettings.certs; CustomScript:
/// the heredocs its script writes to /etc/docker/*.pem and dockerd's <c>-H tcp://0.0.0.0:port</c>, and whether the
/// unit's dockerd exists on the image).
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

    /// <summary>The script CustomScript would run (<see cref="CustomScriptHandler.ScriptToRun"/>, which throws the
    /// handler's complaints), read by <see cref="FromScript"/>.</summary>
    public static DockerInstallPlan? FromCustomScript(JsonObject? settings, JsonObject? protectedSettings, string? imagePublisher = null) =>
        CustomScriptHandler.ScriptToRun(settings, protectedSettings) is { } script ? FromScript(script, imagePublisher) : null;

    /// <summary>
    /// Null when the script installs no TLS daemon; throws InvalidDataException for bad material or a daemon that would
    /// not start. <paramref name="imagePublisher"/> (the VM image's) tells where the distribution's package puts dockerd.
    /// </summary>
    public static DockerInstallPlan? FromScript(string script, string? imagePublisher)
    {
        ArgumentNullException.ThrowIfNull(script);
        script = script.Replace("\r\n", "\n", StringComparison.Ordinal);
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

        EnsureDockerdExists(script, imagePublisher);

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

    /// <summary>
    /// A systemd unit that names dockerd by a fixed path only starts where the installed package put it: Ubuntu's
    /// <c>docker.io</c> ships <c>/usr/bin/dockerd</c>, Debian's <c>/usr/sbin/dockerd</c> (its docker.service runs
    /// <c>/usr/sbin/dockerd -H fd:// --containerd=…</c>), and docker-ce from get.docker.com <c>/usr/bin/dockerd</c> on
    /// both. A path resolved on the VM (<c>$(command -v dockerd)</c>, any <c>$variable</c>) is not checked. Otherwise
    /// <c>systemctl restart docker</c> fails (the unit dies with 203/EXEC) and prints what systemctl prints.
    /// </summary>
    private static void EnsureDockerdExists(string script, string? imagePublisher)
    {
        var binary = ExecStart().Matches(script).Select(m => m.Groups["bin"].Value).LastOrDefault();
        if (binary is null || !binary.StartsWith('/'))
        {
            return;
        }

        var installed = GetDocker().IsMatch(script)
            ? "/usr/bin/dockerd"
            : DockerIo().IsMatch(script)
                ? imagePublisher switch
                {
                    _ when string.Equals(imagePublisher, "Debian", StringComparison.OrdinalIgnoreCase) => "/usr/sbin/dockerd",
                    _ when string.Equals(imagePublisher, "Canonical", StringComparison.OrdinalIgnoreCase) => "/usr/bin/dockerd",
                    _ => null,
                }
                : null;
        if (installed is not null && !string.Equals(binary, installed, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                "Job for docker.service failed because the control process exited with error code.\n"
                + "See \"systemctl status docker.service\" and \"journalctl -xeu docker.service\" for details.");
        }
    }

    /// <summary>The last non-empty ExecStart= of the script's unit text: its first word is the binary.</summary>
    [GeneratedRegex(@"^\s*ExecStart=(?<bin>[^\s]+)", RegexOptions.Multiline)]
    private static partial Regex ExecStart();

    [GeneratedRegex(@"get\.docker\.com|get-docker\.sh|\bdocker-ce\b")]
    private static partial Regex GetDocker();

    [GeneratedRegex(@"\binstall\b[^\n]*\bdocker\.io\b")]
    private static partial Regex DockerIo();

    [GeneratedRegex(@"cat\s*>\s*/etc/docker/(?<file>ca|cert|key)\.pem\s*<<-?\s*(?<q>['""]?)(?<tag>[A-Za-z_][A-Za-z0-9_]*)\k<q>[ \t]*\n(?<body>.*?)\n[ \t]*\k<tag>[ \t]*(?=\n|$)", RegexOptions.Singleline)]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"(?:-H|--host)(?:\s+|=)['""]?tcp://[^\s:'""]*:(?<port>\d+)|""hosts""\s*:\s*\[[^\]]*""tcp://[^""]*:(?<port>\d+)""")]
    private static partial Regex TcpHost();

    [GeneratedRegex(@"--tlsverify(?:=true)?(?![=\w-])|""tlsverify""\s*:\s*true")]
    private static partial Regex TlsVerify();

    [GeneratedRegex(@"--tls(?:=true)?(?![=\w-])|""tls""\s*:\s*true")]
    private static partial Regex Tls();
}
