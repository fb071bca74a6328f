using System.Diagnostics;
using System.Text;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>Runs a real client (python, az) as a child process with an exact environment and a deadline.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Variables a client must not inherit from the test process: the shared emulator fixture sets IDENTITY_* and
    /// MSI_* process-wide for another emulator, and a developer's own Azure settings must not leak into a test.
    /// </summary>
    private static readonly string[] DroppedPrefixes = ["IDENTITY_", "MSI_", "AZURE_", "ARM_", "APPSETTING_", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_"];

    public static async Task<ChildResult> RunAsync(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => DroppedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.StandardInput.Close(); // no prompt may wait for a person
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds:F0} s. stderr: {stderr}");
        }

        return new ChildResult(process.ExitCode, stdout.ToString(), stderr.ToString(), watch.Elapsed);
    }
}
