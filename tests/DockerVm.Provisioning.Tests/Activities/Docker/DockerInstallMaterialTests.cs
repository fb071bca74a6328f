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
            "/usr/bin/dockerd --tlsverify --tlscacert /etc/docker/ca.pem --tlscert /etc/docker/cert.pem --tlskey /etc/docker/key.pem -H unix:// -H tcp://0.0.0.0:2400 --live-restore --icc=false",
            execStart.Groups[1].Value);
        Assert.Contains("ExecStart=\n", script, StringComparison.Ordinal);
        Assert.Contains("chmod 0600 /etc/docker/key.pem", script, StringComparison.Ordinal);
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

    [GeneratedRegex("ExecStart=(/usr/bin/dockerd .*)\n")]
    private static partial Regex ExecStart();
}
