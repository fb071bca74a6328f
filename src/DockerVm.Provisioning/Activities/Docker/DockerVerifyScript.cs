using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>
/// The in-VM check of the Docker endpoint (docs/decisions/0002): a bash section that connects to the TLS listener over
/// loopback exactly as a caller would (TLS name = the FQDN, trust = the per-VM CA only, the issued client pair), checks
/// that a connection without a client certificate is refused (proves <c>--tlsverify</c>), and prints one
/// <c>DOCKERVM-VERIFY {json}</c> line that the workflow reads back from the extension's instance view. The section holds
/// the client key: it only ever goes into an extension's <c>protectedSettings</c>.
/// </summary>
public static partial class DockerVerifyScript
{
    /// <summary>Prefix of the machine-readable result line (stdout, printed last so it is inside the handler's 4 KiB tail).</summary>
    public const string Marker = "DOCKERVM-VERIFY";

    /// <summary>First line of the section: the emulator recognises the check by it.</summary>
    public const string SectionStart = "# --- dockervm: verify the Docker endpoint from inside the VM ---";

    /// <summary>Name of the verify-only CustomScript extension put next to DockerExtension (that handler cannot run our check).</summary>
    public const string ExtensionName = "docker-verify";

    /// <summary>How long the section waits for dockerd to answer after its restart (attempts × 2 s).</summary>
    public const int PingAttempts = 45;

    /// <summary>The section to append to a bash script running with <c>set -euo pipefail</c>.</summary>
    public static string Section(string fqdn, int port, string caPem, string clientCertPem, string clientKeyPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(fqdn);
        if (!SafeHostName().IsMatch(fqdn))
        {
            throw new PermanentProvisioningException("InvalidFqdn", "The host name contains characters not allowed in the verify script.");
        }

        var p = port.ToString(CultureInfo.InvariantCulture);
        return new StringBuilder()
            .Append(SectionStart).Append('\n')
            .Append("DOCKERVM_VERIFY_FQDN='").Append(fqdn).Append("'\n")
            .Append("DOCKERVM_VERIFY_PORT=").Append(p).Append('\n')
            .Append("dockervm_verify_fail() {\n")
            .Append("  printf '").Append(Marker).Append(" {\"ping\":\"%s\",\"clientCertRequired\":%s,\"error\":\"%s\",\"message\":\"%s\"}\\n' \"$1\" \"$2\" \"$3\" \"$4\"\n")
            .Append("  echo \"dockervm verify failed ($3): $4\" >&2\n")
            .Append("  exit 1\n")
            .Append("}\n")
            // mktemp -d creates the directory 0700; umask 077 makes every file 0600. Removed on any exit.
            .Append("dockervm_verify_dir=$(mktemp -d)\n")
            .Append("chmod 0700 \"$dockervm_verify_dir\"\n")
            .Append("trap 'rm -rf \"$dockervm_verify_dir\"' EXIT\n")
            .Append("(\n")
            .Append("umask 077\n")
            .Append(Heredoc("ca", caPem))
            .Append(Heredoc("cert", clientCertPem))
            .Append(Heredoc("key", clientKeyPem))
            .Append(")\n")
            .Append("dockervm_curl=(curl --silent --show-error --max-time 10 --resolve \"$DOCKERVM_VERIFY_FQDN:$DOCKERVM_VERIFY_PORT:127.0.0.1\" --cacert \"$dockervm_verify_dir/ca.pem\")\n")
            .Append("dockervm_url=\"https://$DOCKERVM_VERIFY_FQDN:$DOCKERVM_VERIFY_PORT\"\n")
            .Append("dockervm_mtls=(--cert \"$dockervm_verify_dir/cert.pem\" --key \"$dockervm_verify_dir/key.pem\")\n")
            .Append("dockervm_ping=''\n")
            .Append("for dockervm_attempt in $(seq 1 ").Append(PingAttempts).Append("); do\n")
            .Append("  if dockervm_ping=$(\"${dockervm_curl[@]}\" \"${dockervm_mtls[@]}\" \"$dockervm_url/_ping\" 2>/dev/null) && [ \"$dockervm_ping\" = OK ]; then break; fi\n")
            .Append("  sleep 2\n")
            .Append("done\n")
            .Append("if [ \"$dockervm_ping\" != OK ]; then\n")
            .Append("  dockervm_verify_fail FAILED null DockerEndpointUnreachable \"no OK from /_ping on $DOCKERVM_VERIFY_FQDN:$DOCKERVM_VERIFY_PORT over loopback with the client certificate\"\n")
            .Append("fi\n")
            .Append("dockervm_version=$(\"${dockervm_curl[@]}\" \"${dockervm_mtls[@]}\" \"$dockervm_url/version\" 2>/dev/null) || dockervm_verify_fail OK null DockerVersionUnreadable \"GET /version failed\"\n")
            .Append("dockervm_api=$(printf '%s' \"$dockervm_version\" | grep -o '\"ApiVersion\":\"[^\"]*\"' | head -n 1 | cut -d '\"' -f 4 || true)\n")
            .Append("dockervm_server=$(printf '%s' \"$dockervm_version\" | grep -o '\"Version\":\"[^\"]*\"' | head -n 1 | cut -d '\"' -f 4 || true)\n")
            .Append("[ -n \"$dockervm_api\" ] || dockervm_verify_fail OK null DockerVersionUnreadable \"/version has no ApiVersion\"\n")
            // dockerd --tlsverify aborts the handshake of a client without a certificate: curl must fail.
            .Append("if \"${dockervm_curl[@]}\" \"$dockervm_url/_ping\" >/dev/null 2>&1; then\n")
            .Append("  dockervm_verify_fail OK false DockerClientCertificateNotRequired \"the daemon answered a client without a certificate (is tlsverify on?)\"\n")
            .Append("fi\n")
            .Append("rm -rf \"$dockervm_verify_dir\"\n")
            .Append("printf '").Append(Marker).Append(" {\"ping\":\"OK\",\"apiVersion\":\"%s\",\"serverVersion\":\"%s\",\"clientCertRequired\":true}\\n' \"$dockervm_api\" \"$dockervm_server\"\n")
            .ToString();
    }

    /// <summary>A whole CustomScript script that only verifies (the DockerExtension installer's second extension).</summary>
    public static string Standalone(string fqdn, int port, string caPem, string clientCertPem, string clientKeyPem) =>
        "#!/bin/bash\nset -euo pipefail\n" + Section(fqdn, port, caPem, clientCertPem, clientKeyPem);

    /// <summary>The last result line in <paramref name="output"/> (the handler's stdout tail), or null.</summary>
    public static DockerVerifyResult? FindResult(string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return null;
        }

        DockerVerifyResult? last = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(Marker + " ", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line[(Marker.Length + 1)..]);
                var root = json.RootElement;
                last = new DockerVerifyResult(
                    Text(root, "ping"),
                    Text(root, "apiVersion"),
                    Text(root, "serverVersion"),
                    root.TryGetProperty("clientCertRequired", out var required) && required.ValueKind == JsonValueKind.True,
                    Text(root, "error"),
                    Text(root, "message"));
            }
            catch (JsonException)
            {
                last = new DockerVerifyResult(null, null, null, false, "DockerVerificationUnreadable", "The verify line is not JSON.");
            }
        }

        return last;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Heredoc(string file, string pem) => DockerInstallMaterial.Heredoc($"\"$dockervm_verify_dir/{file}.pem\"", pem);

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex SafeHostName();
}
