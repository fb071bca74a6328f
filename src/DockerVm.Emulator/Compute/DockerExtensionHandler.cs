using System.Text;
using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Compute;

/// <summary>
/// What the DockerExtension 1.x handler's <c>enable</c> does on an Ubuntu VM with systemd (Azure/azure-docker-extension
/// op-enable.go <c>enable()</c>; pkg/driver/ubuntu_systemd.go = ubuntuBaseDriver + systemdBaseDriver +
/// systemdUnitOverwriteDriver), written as one bash script for a guest sandbox (Guest/GuestSandbox.cs), step by step in
/// the handler's order with its log lines and error texts. The last stderr line of a failed run is the handler's error
/// (<see cref="FailedStatus"/>).
/// </summary>
/// <remarks>
/// Steps that need the internet are the ones the sandbox cannot take: installing Docker (<c>curl get.docker.com | sh</c>)
/// runs only when <c>docker</c> is not on PATH (the handler's own test, <c>exec.LookPath("docker")</c>), and the
/// docker-compose 1.6.2 download from GitHub is skipped with a log line instead of failing. Registry login and compose
/// run only when the settings ask for them; the workflow's never do, so they are not modelled.
/// </remarks>
internal static class DockerExtensionHandler
{
    /// <summary>op.go: the enable operation's name, which its status messages start with (main.go <c>reportStatus</c>).</summary>
    public const string SucceededStatus = "Enable Docker succeeded";

    /// <summary>main.go <c>reportStatus</c> + <c>fail("ERROR: %v", err)</c>.</summary>
    public static string FailedStatus(string error) => $"Enable Docker failed: ERROR: {error}";

    /// <summary>
    /// The handler's steps for these settings (already validated by the emulator: <c>azure-environment</c>).
    /// <paramref name="adminUsername"/> is the VM's admin user, which the handler reads from ovf-env.xml.
    /// </summary>
    public static string EnableScript(JsonObject? settings, JsonObject? protectedSettings, string adminUsername)
    {
        var port = (string?)settings?["docker"]?["port"] ?? string.Empty;
        var options = (settings?["docker"]?["options"] as JsonArray ?? []).Select(o => (string?)o ?? string.Empty).ToList();
        var certs = protectedSettings?["certs"] as JsonObject;
        var ca = (string?)certs?["ca"] ?? string.Empty;
        var cert = (string?)certs?["cert"] ?? string.Empty;
        var key = (string?)certs?["key"] ?? string.Empty;
        var hasCerts = ca.Length > 0 && cert.Length > 0 && key.Length > 0;

        // getArgs(): the driver's base options, TLS when all three certs are given, the port, then docker.options.
        var args = new List<string> { "-H=fd://" };
        if (hasCerts)
        {
            args.AddRange(["--tlsverify", "--tlscacert=/etc/docker/ca.pem", "--tlscert=/etc/docker/cert.pem", "--tlskey=/etc/docker/key.pem"]);
        }

        if (port.Length > 0)
        {
            args.Add($"-H=0.0.0.0:{port}");
        }

        args.AddRange(options);
        var execStart = "ExecStart=/usr/bin/dockerd " + string.Join(' ', args);

        var script = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("# DockerExtension 1.x enable (Azure/azure-docker-extension op-enable.go), Ubuntu systemd driver.\n")
            .Append("set -uo pipefail\n")
            .Append("log() { echo \"$(date -u '+%Y/%m/%d %H:%M:%S') $*\" >&2; }\n")
            .Append("fail() { log \"ERROR: $1\"; echo \"$1\" >&2; exit 1; }\n")
            .Append("log '++ install docker'\n")
            .Append("if command -v docker >/dev/null 2>&1; then\n")
            .Append("  log 'docker already installed. not re-installing'\n")
            .Append("else\n")
            .Append("  /bin/sh -c 'curl -sSL https://get.docker.com/ | sh' || fail 'executing /bin/sh [-c curl -sSL https://get.docker.com/ | sh] failed: exit status 1'\n")
            .Append("fi\n")
            .Append("log '-- install docker'\n")
            .Append("log '++ install docker-compose'\n")
            .Append("if [ -e /usr/local/bin/docker-compose ]; then\n")
            .Append("  log 'docker-compose is already installed at /usr/local/bin/docker-compose'\n")
            .Append("else\n")
            .Append("  log 'Downloading compose from https://github.com/docker/compose/releases/download/1.6.2/docker-compose-Linux-x86_64 (skipped: no internet in the guest sandbox)'\n")
            .Append("fi\n")
            .Append("log '-- install docker-compose'\n")
            .Append("log '++ add user to docker group'\n")
            .Append("usermod -aG docker ").Append(Quote(adminUsername)).Append(" >&2 || fail 'executing usermod failed: exit status 1'\n")
            .Append("log '-- add user to docker group'\n")
            .Append("log '++ setup docker certs'\n");
        if (hasCerts)
        {
            // installDockerCerts: MkdirAll(0755), then ioutil.WriteFile(dst, base64-decoded or raw, 0600) for each.
            script.Append("[ -d /etc/docker ] || mkdir -p -m 0755 /etc/docker\n");
            foreach (var (name, value) in new[] { ("ca.pem", ca), ("cert.pem", cert), ("key.pem", key) })
            {
                script.Append("(umask 077 && printf '%s' ").Append(Quote(Convert.ToBase64String(DecodeCert(value))))
                    .Append(" | base64 -d > /etc/docker/").Append(name).Append(") || fail 'error installing docker certs: error writing certificate'\n");
            }
        }
        else
        {
            script.Append("log 'Docker certificate is not provided in the extension settings, skipping docker certs installation'\n");
        }

        script
            .Append("log '-- setup docker certs'\n")
            .Append("log '++ update dockeropts'\n")
            .Append("log ").Append(Quote("Updating daemon args to: " + string.Join(' ', args))).Append('\n')
            // rewriteOpts + SystemdUnitEditor: every ExecStart=.* of /lib/systemd/system/docker.service replaced; written
            // (0644) only when it changed, and only then is a restart needed.
            .Append("unit=/lib/systemd/system/docker.service\n")
            .Append("[ -r \"$unit\" ] || fail \"failed to update dockeropts: error updating DOCKER_OPTS: error reading $unit: open $unit: no such file or directory\"\n")
            .Append("grep -q 'ExecStart=' \"$unit\" || fail \"failed to update dockeropts: error updating DOCKER_OPTS: error updating settings at $unit: systemd unit editor could not find ExecStart\"\n")
            .Append("new=$(mktemp)\n")
            .Append("sed 's|ExecStart=.*|").Append(SedReplacement(execStart)).Append("|' \"$unit\" > \"$new\"\n")
            .Append("if cmp -s \"$new\" \"$unit\"; then restart=false; else cat \"$new\" > \"$unit\"; restart=true; fi\n")
            .Append("rm -f \"$new\"\n")
            .Append("log \"restart needed: $restart\"\n")
            .Append("log '-- update dockeropts'\n")
            .Append("log '++ restart docker'\n")
            .Append("if [ \"$restart\" = false ]; then\n")
            .Append("  log 'no restart needed. issuing only a start command.'\n")
            .Append("  systemctl start docker >&2 || true\n")
            .Append("else\n")
            .Append("  log 'restarting docker-engine'\n")
            .Append("  systemctl daemon-reload >&2 || fail 'executing systemctl [daemon-reload] failed: exit status 1'\n")
            .Append("  systemctl restart docker >&2 || fail 'executing systemctl [restart docker] failed: exit status 1'\n")
            .Append("fi\n")
            .Append("sleep 3\n")
            .Append("log '-- restart docker'\n")
            .Append("log '++ login docker registry'\n")
            .Append("log 'registry login not specificied'\n")
            .Append("log '-- login docker registry'\n")
            .Append("log '++ compose up'\n")
            .Append("log 'docker-compose config not specified, noop'\n")
            .Append("log '-- compose up'\n");
        return script.ToString();
    }

    /// <summary>installDockerCerts: <c>base64.StdEncoding.DecodeString(strings.TrimSpace(v))</c>, the raw text when that fails.</summary>
    private static byte[] DecodeCert(string value)
    {
        var trimmed = value.Trim();
        try
        {
            return Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            return Encoding.UTF8.GetBytes(trimmed);
        }
    }

    /// <summary>A bash word that is exactly <paramref name="value"/>.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The replacement of <c>sed 's|…|…|'</c> (inside single quotes): |, &amp; and \ escaped, ' closed and reopened.</summary>
    private static string SedReplacement(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("|", "\\|", StringComparison.Ordinal)
        .Replace("&", "\\&", StringComparison.Ordinal)
        .Replace("'", "'\\''", StringComparison.Ordinal)
        .Replace("\n", " ", StringComparison.Ordinal);
}
