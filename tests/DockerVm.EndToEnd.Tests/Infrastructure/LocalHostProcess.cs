using System.Diagnostics;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The local host as users run it: its own process (<c>dotnet DockerVm.LocalHost.dll</c>), configured only through
/// environment variables, its console output captured in a log file that is scanned for key material after every test.
/// </summary>
public sealed class LocalHostProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private LocalHostProcess(Process process, StreamWriter log, Uri baseAddress, string logPath)
    {
        this.process = process;
        this.log = log;
        BaseAddress = baseAddress;
        LogPath = logPath;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>; the API is under <c>api/</c>.</summary>
    public Uri BaseAddress { get; }

    public string LogPath { get; }

    public bool HasExited => process.HasExited;

    public static async Task<LocalHostProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string logPath, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DockerVm.LocalHost.dll"));

        // Never pick up a developer's local.settings.json: everything the host needs is passed here.
        start.Environment["DOCKERVM_LOCAL_SETTINGS"] = Path.Combine(AppContext.BaseDirectory, "no-local-settings.json");
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var writer = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The local host did not start.");
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new LocalHostProcess(process, writer, new Uri($"http://127.0.0.1:{port}/"), logPath);
        await host.WaitUntilServingAsync();
        return host;
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writer)
        {
            writer.WriteLine(line);
        }
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The local host exited with code {process.ExitCode} during start; log: {LogPath}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("api/docker-vms", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow first request while everything warms up.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The local host did not serve its API within 90 s; log: {LogPath}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}
