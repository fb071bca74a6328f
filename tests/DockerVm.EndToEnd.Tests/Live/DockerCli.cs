using System.Diagnostics;

namespace DockerVm.EndToEnd.Tests.Live;

/// <summary>The real Docker CLI as a caller runs it: <c>DOCKER_HOST</c>, <c>DOCKER_TLS_VERIFY</c>, <c>DOCKER_CERT_PATH</c>.</summary>
/// <param name="certPath">ca.pem, and cert.pem/key.pem when the client has a certificate (the CLI leaves out missing defaults).</param>
public sealed class DockerCli(string certPath, string dockerHost)
{
    /// <summary>Debian's CLI when installed, else whatever <c>docker</c> is on PATH; null when there is none.</summary>
    public static string? Executable { get; } = File.Exists("/usr/bin/docker")
        ? "/usr/bin/docker"
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "docker")).FirstOrDefault(File.Exists);

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var executable = Executable ?? throw new InvalidOperationException("No docker CLI: install docker.io (scripts/install-debian-packages.sh) or Docker's own CLI.");
        var config = Directory.CreateTempSubdirectory("dockervm-cli-");
        try
        {
            var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["DOCKER_HOST"] = dockerHost;
            start.Environment["DOCKER_TLS_VERIFY"] = "1";
            start.Environment["DOCKER_CERT_PATH"] = certPath;
            start.Environment["DOCKER_CONFIG"] = config.FullName;
            start.Environment.Remove("DOCKER_CONTEXT");

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            config.Delete(recursive: true);
        }
    }
}
