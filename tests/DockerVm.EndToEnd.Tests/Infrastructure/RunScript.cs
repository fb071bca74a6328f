using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using DockerVm.Testing;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>
/// <c>./run.sh</c> as a developer runs it, on free ports and with its <c>.local/</c> in a temporary folder
/// (<c>DOCKERVM_LOCAL_DIR</c>), running the emulator and local host built next to this test (<c>DOCKERVM_BIN_DIR</c>).
/// It can be stopped (SIGTERM, like Ctrl-C) and started again on the same folder; everything each run printed is kept,
/// and so is every secret value each run generated, for the log scan.
/// </summary>
public sealed class RunScript : IAsyncLifetime
{
    private readonly List<string> identityHeaders = [];
    private readonly List<string> controlSecrets = [];
    private readonly int[] ports = AzuriteServer.FreePorts(6);
    private Process? process;
    private StreamWriter? console;
    private int runs;

    /// <summary>The <c>.local/</c> of this stack.</summary>
    public string StateDirectory { get; } = Directory.CreateTempSubdirectory("dockervm-runsh-").FullName;

    public string LogDirectory => Path.Combine(StateDirectory, "logs");

    /// <summary>Set before the start, like a developer's own secret: the scan looks for its value.</summary>
    public string CallbackSigningKey { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string WebhookSigningSecret { get; } = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public int ApiPort => ports[0];

    public int EmulatorPort => ports[1];

    public Uri Api => new($"http://127.0.0.1:{ApiPort}/api/");

    /// <summary>What every run printed on its console (stdout and stderr), one file per run.</summary>
    public IReadOnlyList<string> ConsoleFiles => [.. Enumerable.Range(1, runs).Select(ConsoleFile)];

    /// <summary>Every identity header and control secret the emulator generated, one per run.</summary>
    public IReadOnlyList<string> GeneratedSecrets => [.. identityHeaders, .. controlSecrets];

    /// <summary>The pid of the local host the supervisor runs now (it changes when the host is restarted).</summary>
    public int HostPid => int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "localhost.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public string IdentityHeader => identityHeaders[^1];

    public string ControlSecret => controlSecrets[^1];

    public Task InitializeAsync() => StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(StateDirectory, recursive: true);
    }

    /// <summary>Starts <c>./run.sh</c> (serve mode) and waits until its API answers.</summary>
    public async Task StartAsync()
    {
        if (process is { HasExited: false })
        {
            throw new InvalidOperationException("run.sh is already running.");
        }

        runs++;
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepositoryPaths.Root, "run.sh"));
        start.Environment["API_PORT"] = Port(0);
        start.Environment["EMULATOR_PORT"] = Port(1);
        start.Environment["CALLBACK_PORT"] = Port(2);
        start.Environment["AZURITE_BLOB_PORT"] = Port(3);
        start.Environment["AZURITE_QUEUE_PORT"] = Port(4);
        start.Environment["AZURITE_TABLE_PORT"] = Port(5);
        start.Environment["DOCKERVM_LOCAL_DIR"] = StateDirectory;
        start.Environment["DOCKERVM_BIN_DIR"] = AppContext.BaseDirectory;

        // The suite's requests name this group; run.sh creates it in its emulator, as infra does in Azure.
        start.Environment["DOCKERVM_LOCAL_RESOURCE_GROUPS"] = LocalStackFixture.ResourceGroup;

        // The checked-in settings, never a developer's local.settings.json; the two signing secrets are this test's own.
        start.Environment["DOCKERVM_LOCAL_SETTINGS"] = Path.Combine(RepositoryPaths.Root, "local.settings.sample.json");
        start.Environment["Callbacks__SigningKeys__default"] = CallbackSigningKey;
        start.Environment["Webhooks__SigningSecret"] = WebhookSigningSecret;

        var writer = new StreamWriter(new FileStream(ConsoleFile(runs), FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        console = writer;
        process = Process.Start(start) ?? throw new InvalidOperationException("run.sh did not start.");
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await WaitForApiAsync();
        identityHeaders.Add(await File.ReadAllTextAsync(Path.Combine(StateDirectory, "emulator", "identity-header")));
        controlSecrets.Add(await File.ReadAllTextAsync(Path.Combine(StateDirectory, "emulator", "control-secret")));
    }

    /// <summary>SIGTERM, as Ctrl-C would stop it; returns run.sh's exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (process is null)
        {
            return 0;
        }

        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        var code = process.ExitCode;
        process.Dispose();
        process = null;
        lock (console!)
        {
            console.Dispose();
        }

        return code;
    }

    /// <summary>Everything every run printed so far.</summary>
    public string ConsoleOutput() => string.Join('\n', ConsoleFiles.Where(File.Exists).Select(ReadShared));

    /// <summary>A client of the emulator that trusts exactly its certificate (regenerated every run) and sends the control secret.</summary>
    public HttpClient Emulator(bool withControlSecret = true)
    {
        var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(StateDirectory, "emulator", "tls-cert.pem")));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(pinned.RawData),
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri($"https://127.0.0.1:{EmulatorPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        if (withControlSecret)
        {
            client.DefaultRequestHeaders.Add("X-Emulator-Control-Secret", ControlSecret);
        }

        return client;
    }

    /// <summary>The emulator's request journal (method, path), oldest first: what Azure was asked, counted exactly.</summary>
    public async Task<IReadOnlyList<(string Method, string Path)>> JournalAsync()
    {
        using var emulator = Emulator();
        var entries = await emulator.GetFromJsonAsync<JsonArray>(new Uri("_emulator/requests?take=1000000", UriKind.Relative));
        return [.. entries!.Select(e => ((string)e!["method"]!, (string)e["path"]!))];
    }

    /// <summary>Reads a Key Vault secret with a token from the emulator's tools endpoint (identity header from its file).</summary>
    public async Task<string> ReadSecretAsync(Uri secretId)
    {
        using var emulator = Emulator(withControlSecret: false);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("_emulator/token?resource=https://vault.azure.net", UriKind.Relative));
        tokenRequest.Headers.Add("X-IDENTITY-HEADER", IdentityHeader);
        using var tokenResponse = await emulator.SendAsync(tokenRequest);
        tokenResponse.EnsureSuccessStatusCode();
        var token = (string?)(await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!["access_token"];
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(secretId + "?api-version=7.5"));
        request.Headers.Authorization = new("Bearer", token);
        using var response = await emulator.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["value"]!;
    }

    private async Task WaitForApiAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < deadline)
        {
            if (process!.HasExited)
            {
                throw new InvalidOperationException($"run.sh exited with {process.ExitCode} during start:\n{Tail(ReadShared(ConsoleFile(runs)))}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Api, "docker-vms"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not serving yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"run.sh did not serve its API within 4 minutes:\n{Tail(ReadShared(ConsoleFile(runs)))}");
    }

    private string Port(int index) => ports[index].ToString(System.Globalization.CultureInfo.InvariantCulture);

    private string ConsoleFile(int run) => Path.Combine(StateDirectory, $"run{run}.console.txt");

    private static string ReadShared(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

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
}
