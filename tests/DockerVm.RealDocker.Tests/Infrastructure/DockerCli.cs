using System.Net;
using DockerVm.Emulator.Guest;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>
/// Debian's Docker CLI (/usr/bin/docker, the client of the same docker.io package) against a guest's TLS endpoint, the
/// way a user runs it: <c>--tlsverify --tlscacert --tlscert --tlskey -H tcp://address:port</c>, with its own
/// DOCKER_CONFIG so nothing of the host user's ~/.docker is read or written.
/// </summary>
internal sealed class DockerCli(IPEndPoint endpoint, string configDirectory)
{
    public const string Path = "/usr/bin/docker";

    public IPEndPoint Endpoint => endpoint;

    /// <summary>Runs <c>docker</c> with the CA of <paramref name="ca"/> and, when given, the client pair in <paramref name="client"/>.</summary>
    public Task<GuestCommandResult> RunAsync(CertificateFiles ca, CertificateFiles? client, params string[] arguments)
    {
        var tls = new List<string> { "--tlsverify", "--tlscacert", ca.Ca };
        if (client is not null)
        {
            tls.AddRange(["--tlscert", client.Certificate, "--tlskey", client.Key]);
        }

        tls.AddRange(["-H", $"tcp://{endpoint}"]);
        Directory.CreateDirectory(configDirectory);
        return HostCommand.RunAsync(Path, tls.Concat(arguments), timeout: TimeSpan.FromSeconds(60), environment: new Dictionary<string, string>
        {
            ["DOCKER_CONFIG"] = configDirectory,
        });
    }

    /// <summary><c>docker import</c> of the busybox-static rootfs as <see cref="BusyboxImage.Name"/>: a runnable image, no registry.</summary>
    public async Task ImportBusyboxAsync(CertificateFiles client, string workDirectory)
    {
        var tarball = System.IO.Path.Combine(workDirectory, "busybox.tar");
        await BusyboxImage.WriteAsync(tarball);
        var import = await RunAsync(client, client, "import", tarball, BusyboxImage.Name);
        if (!import.Succeeded)
        {
            throw new InvalidOperationException($"docker import failed: {import.Describe()}");
        }
    }
}
