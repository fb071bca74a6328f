using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Activities.Docker;

/// <summary>
/// The settings of the two Docker installers. Builds protected settings that hold the server's private key: the
/// result only ever goes into an extension's <c>protectedSettings</c>, never into logs or orchestration state.
/// </summary>
public static partial class DockerInstallMaterial
{
    /// <summary>CustomScript extension 2.x (Linux), the default installer.</summary>
    public const string CustomScriptPublisher = "Microsoft.Azure.Extensions";
    public const string CustomScriptType = "CustomScript";
    public const string CustomScriptVersion = "2.1";

    /// <summary>The seed's DockerExtension 1.x (retired by Azure; kept because the seed document uses it).</summary>
    public const string DockerExtensionPublisher = "Microsoft.Azure.Extensions";
    public const string DockerExtensionType = "DockerExtension";
    public const string DockerExtensionVersion = "1.1";

    /// <summary>
    /// Bash script for CustomScript: installs Docker Engine (Ubuntu's <c>docker.io</c> package, from the image's own
    /// archive), writes <c>/etc/docker/{ca,cert,key}.pem</c> with quoted heredocs, and points dockerd at them with a
    /// systemd drop-in (<c>--tlsverify</c>, socket + TCP on <paramref name="port"/>, plus <paramref name="daemonOptions"/>).
    /// </summary>
    public static string BuildInstallScript(string caPem, string serverCertPem, string serverKeyPem, int port, IReadOnlyList<string> daemonOptions)
    {
        ArgumentNullException.ThrowIfNull(daemonOptions);
        EnsureSafeOptions(daemonOptions);
        var options = daemonOptions.Count == 0 ? "" : " " + string.Join(' ', daemonOptions);
        var script = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("set -euo pipefail\n")
            .Append("export DEBIAN_FRONTEND=noninteractive\n")
            .Append("if ! command -v dockerd >/dev/null 2>&1; then\n")
            .Append("  apt-get update -y\n")
            .Append("  apt-get install -y docker.io\n")
            .Append("fi\n")
            .Append("install -d -m 0755 /etc/docker\n")
            .Append("umask 077\n")
            .Append(Heredoc("/etc/docker/ca.pem", caPem))
            .Append(Heredoc("/etc/docker/cert.pem", serverCertPem))
            .Append(Heredoc("/etc/docker/key.pem", serverKeyPem))
            .Append("chmod 0644 /etc/docker/ca.pem /etc/docker/cert.pem\n")
            .Append("chmod 0600 /etc/docker/key.pem\n")
            .Append("install -d -m 0755 /etc/systemd/system/docker.service.d\n")
            .Append("cat > /etc/systemd/system/docker.service.d/10-tls.conf <<'UNIT'\n")
            .Append("[Service]\n")
            .Append("ExecStart=\n")
            .Append("ExecStart=/usr/bin/dockerd --tlsverify --tlscacert /etc/docker/ca.pem --tlscert /etc/docker/cert.pem ")
            .Append("--tlskey /etc/docker/key.pem -H unix:// -H tcp://0.0.0.0:").Append(port).Append(options).Append('\n')
            .Append("UNIT\n")
            .Append("chmod 0644 /etc/systemd/system/docker.service.d/10-tls.conf\n")
            .Append("systemctl daemon-reload\n")
            .Append("systemctl enable docker\n")
            .Append("systemctl restart docker\n");
        return script.ToString();
    }

    /// <summary><c>protectedSettings</c> of CustomScript: <c>{"script": base64(script)}</c>.</summary>
    public static BinaryData CustomScriptProtectedSettings(string script) =>
        BinaryData.FromObjectAsJson(new { script = Convert.ToBase64String(Encoding.UTF8.GetBytes(script)) });

    /// <summary>Public settings of DockerExtension: <c>docker.port</c>, <c>docker.options</c>, <c>azure-environment</c>.</summary>
    public static BinaryData DockerExtensionSettings(int port, IReadOnlyList<string> daemonOptions, string azureEnvironment)
    {
        ArgumentNullException.ThrowIfNull(daemonOptions);
        EnsureSafeOptions(daemonOptions);
        var settings = new Dictionary<string, object>
        {
            ["docker"] = new Dictionary<string, object> { ["port"] = port.ToString(), ["options"] = daemonOptions },
            ["azure-environment"] = azureEnvironment,
        };
        return BinaryData.FromString(JsonSerializer.Serialize(settings));
    }

    /// <summary>Protected settings of DockerExtension: <c>certs.{ca,cert,key}</c> as base64 PEM; cert/key are the server pair.</summary>
    public static BinaryData DockerExtensionProtectedSettings(string caPem, string serverCertPem, string serverKeyPem) =>
        BinaryData.FromObjectAsJson(new
        {
            certs = new
            {
                ca = Base64(caPem),
                cert = Base64(serverCertPem),
                key = Base64(serverKeyPem),
            },
        });

    private static string Heredoc(string path, string pem)
    {
        var body = pem.ReplaceLineEndings("\n");
        if (!body.EndsWith('\n'))
        {
            body += "\n";
        }

        return $"cat > {path} <<'PEM'\n{body}PEM\n";
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>Options land on a systemd ExecStart line: anything that could break out of it is refused
    /// (validation already restricts them; this guards the script itself).</summary>
    private static void EnsureSafeOptions(IReadOnlyList<string> options)
    {
        foreach (var option in options)
        {
            if (!SafeOption().IsMatch(option))
            {
                throw new PermanentProvisioningException("InvalidDaemonOption", "A daemon option contains characters not allowed on the dockerd command line.");
            }
        }
    }

    [GeneratedRegex("^--?[A-Za-z][A-Za-z0-9-]{0,63}(=[A-Za-z0-9._:/,=@+-]{0,200})?$")]
    private static partial Regex SafeOption();
}
