using System.Diagnostics;
using Azure;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Docker;

/// <summary>The emulated daemon behaves like `dockerd --tlsverify`: only clients with a certificate from the VM's CA get in.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class DockerDaemonTests(EmulatorFixture fixture)
{
    private async Task<(Scenario.Network Network, DockerCertificates Certificates)> DockerHostAsync(string name)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, $"rg-daemon-{name}");
        var network = await Scenario.NetworkAsync(arm, group, name);
        var certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
        var vm = await Scenario.VmAsync(group, $"vm-{name}", network.NicId);
        await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(certificates));
        return (network, certificates);
    }

    [Fact]
    public async Task Info_WithClientCertificate_ReportsHostName()
    {
        var (network, certificates) = await DockerHostAsync("info");
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate());

        var info = System.Text.Json.Nodes.JsonNode.Parse(await docker.GetStringAsync(new Uri("v1.43/info", UriKind.Relative)))!;
        using var head = await docker.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("_ping", UriKind.Relative)));

        Assert.Equal("vm-info", (string?)info["Name"]);
        Assert.Equal("1.47", head.Headers.GetValues("Api-Version").Single());
    }

    [Fact]
    public async Task Ping_WithoutClientCertificate_Refused()
    {
        var (network, certificates) = await DockerHostAsync("nocert");
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), clientCertificate: null);

        await DockerProbe.AssertRefusedAsync(docker);
    }

    [Fact]
    public async Task Ping_ClientCertificateFromForeignCa_Refused()
    {
        var (network, certificates) = await DockerHostAsync("foreign");
        var foreign = TestPki.Issue(network.PublicIp);
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), foreign.ClientCertificate());

        await DockerProbe.AssertRefusedAsync(docker);
    }

    [Fact]
    public async Task DockerCli_TlsVerify_VersionAndPsWork()
    {
        const string Cli = "/usr/local/bin/docker";
        Assert.True(File.Exists(Cli), "the Docker CLI is installed on this machine");
        var (network, certificates) = await DockerHostAsync("cli");
        var directory = Directory.CreateTempSubdirectory("docker-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "ca.pem"), certificates.CaPem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "cert.pem"), certificates.ClientCertPem);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "key.pem"), certificates.ClientKeyPem);

            var version = await RunAsync(Cli, $"--tlsverify -H tcp://{network.PublicIp}:2376 version --format {{{{.Server.Version}}}}", directory.FullName);
            var ps = await RunAsync(Cli, $"--tlsverify -H tcp://{network.PublicIp}:2376 ps", directory.FullName);

            Assert.Equal(0, version.ExitCode);
            Assert.Equal("27.5.1", version.Output.Trim());
            Assert.Equal(0, ps.ExitCode);
            Assert.StartsWith("CONTAINER ID", ps.Output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string certificateDirectory)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_CERT_PATH"] = certificateDirectory;
        start.Environment["DOCKER_CONFIG"] = certificateDirectory;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + error);
    }
}
