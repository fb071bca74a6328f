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

    /// <summary>
    /// The seed's DockerExtension 1.x, kept only because the seed document uses it: deprecated by its authors with
    /// retirement announced for November 2018 (Azure/azure-docker-extension README). On every enable it pipes
    /// get.docker.com into sh, downloads docker-compose 1.6.2 and rewrites docker.service (op-enable.go,
    /// pkg/driver/systemd_base.go). <c>customScript</c> is the supported default.
    /// </summary>
    public const string DockerExtensionPublisher = "Microsoft.Azure.Extensions";
    public const string DockerExtensionType = "DockerExtension";
    public const string DockerExtensionVersion = "1.1";

    /// <summary>How long apt waits for the dpkg lock (<c>DPkg::Lock::Timeout</c>) and, in total, for the lists lock.</summary>
    public const int AptLockWaitSeconds = 600;

    /// <summary>
    /// Bash script for CustomScript: installs Docker Engine (the distribution's <c>docker.io</c> package, from the
    /// image's own archive), writes <c>/etc/docker/{ca,cert,key}.pem</c> with quoted heredocs, and points dockerd at them
    /// with a systemd drop-in (<c>--tlsverify</c>, socket activation + TCP on <paramref name="port"/>, plus
    /// <paramref name="daemonOptions"/>).
    /// </summary>
    /// <remarks>
    /// <para>It runs right after the VM's first boot, while cloud-init and unattended-upgrades may still hold the apt and
    /// dpkg locks (Azure/azure-cli#24486: <c>E: Could not get lock /var/lib/dpkg/lock-frontend</c>, exit 100, and the
    /// whole VM is torn down). So it waits for cloud-init (<c>cloud-init status --wait</c>, skipped on images without
    /// it), gives every dpkg-locking apt command <c>-o DPkg::Lock::Timeout</c> (apt-pkg/deb/debsystem.cc), and retries
    /// <c>apt-get update</c>, which takes the lists lock that option does not cover (apt-pkg/acquire.cc <c>GetLock</c>).</para>
    /// <para>dockerd is where the package put it: <c>/usr/bin/dockerd</c> on Ubuntu, <c>/usr/sbin/dockerd</c> on Debian,
    /// so the drop-in names <c>$(command -v dockerd)</c>. It keeps the packaged unit's <c>-H fd://</c> (socket activation
    /// by <c>docker.socket</c>) and its <c>--containerd=</c> when it has one, and adds the TCP listener with TLS.</para>
    /// </remarks>
    public static string BuildInstallScript(string caPem, string serverCertPem, string serverKeyPem, int port, IReadOnlyList<string> daemonOptions)
    {
        ArgumentNullException.ThrowIfNull(daemonOptions);
        EnsureSafeOptions(daemonOptions);

        // The options go into an unquoted heredoc (so $dockerd expands): EnsureSafeOptions admits no $, ` or \.
        var options = daemonOptions.Count == 0 ? "" : " " + string.Join(' ', daemonOptions);
        var retries = AptLockWaitSeconds / 10;
        var script = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("set -euo pipefail\n")
            .Append("export DEBIAN_FRONTEND=noninteractive\n")
            .Append("export PATH=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}\"\n")
            .Append("# A just-booted VM: let cloud-init finish (it installs packages too); images without it skip this.\n")
            .Append("if command -v cloud-init >/dev/null 2>&1; then\n")
            .Append("  cloud-init status --wait >/dev/null 2>&1 || true\n")
            .Append("fi\n")
            .Append("if ! command -v dockerd >/dev/null 2>&1; then\n")
            .Append("  # unattended-upgrades may hold the apt locks: DPkg::Lock::Timeout waits for dpkg's, update is retried for the lists lock.\n")
            .Append("  for attempt in $(seq 1 ").Append(retries).Append("); do\n")
            .Append("    if apt-get -o DPkg::Lock::Timeout=").Append(AptLockWaitSeconds).Append(" update -y; then break; fi\n")
            .Append("    if [ \"$attempt\" -eq ").Append(retries).Append(" ]; then exit 100; fi\n")
            .Append("    sleep 10\n")
            .Append("  done\n")
            .Append("  apt-get -o DPkg::Lock::Timeout=").Append(AptLockWaitSeconds).Append(" install -y docker.io\n")
            .Append("fi\n")
            .Append("dockerd=$(command -v dockerd)\n")
            .Append("containerd=\n")
            .Append("unit=$(systemctl show --property=FragmentPath --value docker.service)\n")
            .Append("if [ -n \"$unit\" ] && grep -q -- '--containerd=/run/containerd/containerd.sock' \"$unit\"; then\n")
            .Append("  containerd=' --containerd=/run/containerd/containerd.sock'\n")
            .Append("fi\n")
            .Append("install -d -m 0755 /etc/docker\n")
            .Append("umask 077\n")
            .Append(Heredoc("/etc/docker/ca.pem", caPem))
            .Append(Heredoc("/etc/docker/cert.pem", serverCertPem))
            .Append(Heredoc("/etc/docker/key.pem", serverKeyPem))
            .Append("chmod 0644 /etc/docker/ca.pem /etc/docker/cert.pem\n")
            .Append("chmod 0600 /etc/docker/key.pem\n")
            .Append("install -d -m 0755 /etc/systemd/system/docker.service.d\n")
            .Append("cat > /etc/systemd/system/docker.service.d/10-tls.conf <<UNIT\n")
            .Append("[Service]\n")
            .Append("ExecStart=\n")
            .Append("ExecStart=${dockerd} -H fd://${containerd} --tlsverify --tlscacert /etc/docker/ca.pem --tlscert /etc/docker/cert.pem ")
            .Append("--tlskey /etc/docker/key.pem -H tcp://0.0.0.0:").Append(port).Append(options).Append('\n')
            .Append("UNIT\n")
            .Append("chmod 0644 /etc/systemd/system/docker.service.d/10-tls.conf\n")
            .Append("systemctl daemon-reload\n")
            .Append("systemctl enable docker.socket docker.service\n")
            .Append("# -H fd:// takes its socket from docker.socket: stop both, then start the socket before the daemon.\n")
            .Append("systemctl stop docker.service docker.socket\n")
            .Append("systemctl start docker.socket docker.service\n");
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

    /// <summary>Writes <paramref name="pem"/> to <paramref name="path"/> (a shell word) with a quoted heredoc, so nothing
    /// in it is expanded; the install script and the verify section both write their PEM files this way.</summary>
    internal static string Heredoc(string path, string pem)
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
