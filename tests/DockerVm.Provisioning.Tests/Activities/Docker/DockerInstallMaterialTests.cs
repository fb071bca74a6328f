using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Tests.Activities.Docker;

public sealed partial class DockerInstallMaterialTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n";
    private const string Cert = "-----BEGIN CERTIFICATE-----\nU0VSVkVS\n-----END CERTIFICATE-----\n";
    private const string Key = "-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----";

    [Fact]
    public void BuildInstallScript_WritesEachPemWithQuotedHeredoc()
    {
        var script = DockerInstallMaterial.BuildInstallScript(Ca, Cert, Key, 2376, []);

        Assert.Contains($"cat > /etc/docker/ca.pem <<'PEM'\n{Ca}PEM\n", script, StringComparison.Ordinal);
        Assert.Contains($"cat > /etc/docker/cert.pem <<'PEM'\n{Cert}PEM\n", script, StringComparison.Ordinal);
        Assert.Contains($"cat > /etc/docker/key.pem <<'PEM'\n{Key}\nPEM\n", script, StringComparison.Ordinal);
        Assert.StartsWith("#!/bin/bash\nset -euo pipefail\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildInstallScript_DaemonListensWithTlsVerifyOnPortPlusOptions()
    {
        var script = DockerInstallMaterial.BuildInstallScript(Ca, Cert, Key, 2400, ["--live-restore", "--icc=false"]);

        var execStart = ExecStart().Match(script);
        Assert.True(execStart.Success);
        Assert.Equal(
            "${dockerd} -H fd://${containerd} --tlsverify --tlscacert /etc/docker/ca.pem --tlscert /etc/docker/cert.pem --tlskey /etc/docker/key.pem -H tcp://0.0.0.0:2400 --live-restore --icc=false",
            execStart.Groups[1].Value);
        Assert.Contains("ExecStart=\n", script, StringComparison.Ordinal);
        Assert.Contains("chmod 0600 /etc/docker/key.pem", script, StringComparison.Ordinal);
    }

    /// <summary>Issue 11 D: /usr/bin/dockerd does not exist on Debian (/usr/sbin/dockerd); the unit names what
    /// <c>command -v</c> finds on the VM, keeps socket activation (-H fd://) instead of -H unix://, and the packaged
    /// unit's --containerd= when it has one.</summary>
    [Fact]
    public void BuildInstallScript_ResolvesDockerdOnTheVmAndKeepsSocketActivation()
    {
        var script = DockerInstallMaterial.BuildInstallScript(Ca, Cert, Key, 2376, []);

        Assert.Contains("dockerd=$(command -v dockerd)\n", script, StringComparison.Ordinal);
        Assert.Contains("cat > /etc/systemd/system/docker.service.d/10-tls.conf <<UNIT\n", script, StringComparison.Ordinal);
        Assert.Contains("grep -q -- '--containerd=/run/containerd/containerd.sock' \"$unit\"", script, StringComparison.Ordinal);
        Assert.Contains("systemctl start docker.socket docker.service\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("/usr/bin/dockerd", script, StringComparison.Ordinal);
        Assert.DoesNotContain("-H unix://", script, StringComparison.Ordinal);
    }

    /// <summary>Audit finding 7 (Azure/azure-cli#24486): wait for cloud-init, give the dpkg-locking install
    /// DPkg::Lock::Timeout, and retry apt-get update (the lists lock, which that option does not cover).</summary>
    [Fact]
    public void BuildInstallScript_WaitsForCloudInitAndTheAptLocks()
    {
        var script = DockerInstallMaterial.BuildInstallScript(Ca, Cert, Key, 2376, []);

        Assert.Contains("if command -v cloud-init >/dev/null 2>&1; then\n  cloud-init status --wait >/dev/null 2>&1 || true\nfi\n", script, StringComparison.Ordinal);
        Assert.Contains("  apt-get -o DPkg::Lock::Timeout=600 install -y docker.io\n", script, StringComparison.Ordinal);
        Assert.Matches(@"for attempt in \$\(seq 1 60\); do\n    if apt-get -o DPkg::Lock::Timeout=600 update -y; then break; fi\n.*\n    sleep 10\n  done\n", script);
        Assert.DoesNotMatch(@"apt-get (?!-o DPkg::Lock::Timeout=600 )", script);
    }

    /// <summary>The script is what bash runs (CustomScript writes it as script.sh and runs it): it must parse.</summary>
    [Fact]
    public async Task BuildInstallScript_WithOptions_IsValidBash()
    {
        var script = DockerInstallMaterial.BuildInstallScript(Ca, Cert, Key, 2376, ["--live-restore", "--log-opt=max-size=10m"]);
        var path = Path.Combine(Path.GetTempPath(), $"dockervm-install-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(path, script);
        try
        {
            using var bash = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-n", path]) { RedirectStandardError = true })!;
            var errors = await bash.StandardError.ReadToEndAsync();
            await bash.WaitForExitAsync();

            Assert.True(bash.ExitCode == 0, errors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--foo; rm -rf /")]
    [InlineData("--label=a b")]
    [InlineData("--x=$(id)")]
    public void BuildInstallScript_OptionThatCouldEscapeTheUnitLine_Throws(string option)
    {
        var ex = Assert.Throws<PermanentProvisioningException>(() => DockerInstallMaterial.BuildInstallScript(Ca, Cert, Key, 2376, [option]));
        Assert.Equal("InvalidDaemonOption", ex.ErrorCode);
    }

    [Fact]
    public void CustomScriptProtectedSettings_IsBase64OfTheScript()
    {
        var json = DockerInstallMaterial.CustomScriptProtectedSettings("echo hi\n").ToString();

        var script = JsonDocument.Parse(json).RootElement.GetProperty("script").GetString()!;
        Assert.Equal("echo hi\n", Encoding.UTF8.GetString(Convert.FromBase64String(script)));
    }

    [Fact]
    public void DockerExtensionSettings_UseTheSeedSchema()
    {
        var settings = JsonDocument.Parse(DockerInstallMaterial.DockerExtensionSettings(2376, ["--live-restore"], "AzureChinaCloud").ToString()).RootElement;
        var secrets = JsonDocument.Parse(DockerInstallMaterial.DockerExtensionProtectedSettings(Ca, Cert, Key).ToString()).RootElement;

        Assert.Equal("2376", settings.GetProperty("docker").GetProperty("port").GetString());
        Assert.Equal("--live-restore", settings.GetProperty("docker").GetProperty("options")[0].GetString());
        Assert.Equal("AzureChinaCloud", settings.GetProperty("azure-environment").GetString());
        Assert.Equal(Key, Encoding.UTF8.GetString(Convert.FromBase64String(secrets.GetProperty("certs").GetProperty("key").GetString()!)));
        Assert.Equal(Cert, Encoding.UTF8.GetString(Convert.FromBase64String(secrets.GetProperty("certs").GetProperty("cert").GetString()!)));
        Assert.DoesNotContain("PRIVATE KEY", settings.ToString(), StringComparison.Ordinal);
    }

    [GeneratedRegex("ExecStart=(\\S.*)\n")]
    private static partial Regex ExecStart();
}
