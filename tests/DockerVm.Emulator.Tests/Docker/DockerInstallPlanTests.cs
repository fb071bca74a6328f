using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Docker;

/// <summary>How the emulator reads install material from extension settings (the team's install conventions) and
/// whether the daemon it configures would start on the image.</summary>
public sealed class DockerInstallPlanTests
{
    private static readonly DockerCertificates Certificates = TestPki.Issue("127.0.1.9");

    private static JsonObject ScriptSettings(string script) =>
        new() { ["script"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(script)) };

    [Fact]
    public void CustomScript_HeredocsAndHostFlag_ExtractsFilesAndPort()
    {
        var plan = DockerInstallPlan.FromCustomScript(null, ScriptSettings(Scenario.InstallScript(Certificates, 2400)));

        Assert.NotNull(plan);
        Assert.Equal(2400, plan.Port);
        Assert.Equal(Certificates.CaPem.Trim(), plan.CaPem.Trim());
        Assert.Equal(Certificates.ServerKeyPem.Trim(), plan.KeyPem.Trim());
    }

    [Fact]
    public void CustomScript_DaemonJsonHosts_ExtractsPort()
    {
        var script = Scenario.InstallScript(Certificates, 2376)
            .Replace("-H tcp://0.0.0.0:2376 --tlsverify", string.Empty, StringComparison.Ordinal)
            + "\ncat > /etc/docker/daemon.json <<'JSON'\n{\"hosts\": [\"unix:///var/run/docker.sock\", \"tcp://0.0.0.0:2999\"], \"tlsverify\": true}\nJSON\n";

        var plan = DockerInstallPlan.FromCustomScript(null, ScriptSettings(script));

        Assert.Equal(2999, plan!.Port);
    }

    [Fact]
    public void CustomScript_NoDockerFiles_NoDaemon()
    {
        Assert.Null(DockerInstallPlan.FromCustomScript(null, ScriptSettings("#!/bin/bash\necho hello\n")));
    }

    [Fact]
    public void CustomScript_MissingKeyFile_FailsLikeDockerd()
    {
        var script = Scenario.InstallScript(Certificates, 2376).Replace("cat > /etc/docker/key.pem", "cat > /tmp/key.pem", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => DockerInstallPlan.FromCustomScript(null, ScriptSettings(script)));

        Assert.Contains("/etc/docker/key.pem: no such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomScript_TcpWithoutTlsVerify_Refused()
    {
        var script = Scenario.InstallScript(Certificates, 2376).Replace("--tlsverify", "--tlsverify=false", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => DockerInstallPlan.FromCustomScript(null, ScriptSettings(script)));

        Assert.Contains("without --tlsverify", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Debian's docker.io ships /usr/sbin/dockerd (its docker.service: ExecStart=/usr/sbin/dockerd -H fd:// …),
    /// Ubuntu's /usr/bin/dockerd: a unit naming the other path dies with 203/EXEC and systemctl restart fails.</summary>
    [Theory]
    [InlineData("Debian", "/usr/bin/dockerd")]
    [InlineData("Canonical", "/usr/sbin/dockerd")]
    public void FromScript_DockerIoWithDockerdPathOfTheOtherDistribution_FailsLikeSystemctl(string publisher, string dockerd)
    {
        var script = DockerIoScript(dockerd);

        var error = Assert.Throws<InvalidDataException>(() => DockerInstallPlan.FromScript(script, publisher));

        Assert.Equal(
            "Job for docker.service failed because the control process exited with error code.\nSee \"systemctl status docker.service\" and \"journalctl -xeu docker.service\" for details.",
            error.Message);
    }

    [Theory]
    [InlineData("Debian", "/usr/sbin/dockerd")]
    [InlineData("Canonical", "/usr/bin/dockerd")]
    [InlineData("Debian", "${dockerd}")]
    [InlineData("Canonical", "$(command -v dockerd)")]
    public void FromScript_DockerdWhereThePackagePutsItOrResolvedOnTheVm_Starts(string publisher, string dockerd)
    {
        var plan = DockerInstallPlan.FromScript(DockerIoScript(dockerd), publisher);

        Assert.Equal(2376, plan!.Port);
    }

    [Fact]
    public void FromScript_DockerCeFromGetDockerCom_UsrBinOnDebianToo()
    {
        var plan = DockerInstallPlan.FromScript(Scenario.InstallScript(Certificates, 2376), "Debian");

        Assert.Equal(2376, plan!.Port);
    }

    private static string DockerIoScript(string dockerd) =>
        Scenario.InstallScript(Certificates, 2376)
            .Replace("curl -fsSL https://get.docker.com | sh", "apt-get -o DPkg::Lock::Timeout=600 install -y docker.io", StringComparison.Ordinal)
            .Replace("ExecStart=/usr/bin/dockerd ", $"ExecStart={dockerd} ", StringComparison.Ordinal);

    [Fact]
    public void DockerExtension_RawPemAndCustomPort_Accepted()
    {
        var plan = DockerInstallPlan.FromDockerExtension(
            new JsonObject { ["docker"] = new JsonObject { ["port"] = "2500" } },
            new JsonObject { ["certs"] = new JsonObject { ["ca"] = Certificates.CaPem, ["cert"] = Certificates.ServerCertPem, ["key"] = Certificates.ServerKeyPem } });

        Assert.Equal(2500, plan!.Port);
    }

    [Fact]
    public void TlsMaterial_ValidSet_LoadsAndTrustsOnlyItsClients()
    {
        using var material = DockerTlsMaterial.Load(Certificates.CaPem, Certificates.ServerCertPem, Certificates.ServerKeyPem);
        using var own = Certificates.ClientCertificate();
        using var foreign = TestPki.Issue("127.0.1.9").ClientCertificate();

        Assert.True(material.IsValidClient(own));
        Assert.False(material.IsValidClient(foreign));
    }

    [Fact]
    public void TlsMaterial_CaWithoutCaFlag_Refused()
    {
        var error = Assert.Throws<InvalidDataException>(() => DockerTlsMaterial.Load(Certificates.ServerCertPem, Certificates.ServerCertPem, Certificates.ServerKeyPem));

        Assert.Contains("not a certificate authority", error.Message, StringComparison.Ordinal);
    }
}
