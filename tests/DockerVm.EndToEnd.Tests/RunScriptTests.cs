using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

/// <summary>
/// The local stack as <c>./run.sh</c> runs it, not only the in-process harness: a crashed host is restarted and its run
/// finishes once, state carries over a restart of the whole stack, the emulator's control and token endpoints want their
/// secrets, and no secret reaches a log.
/// </summary>
[Collection(LocalStackCollectionDefinition.Name)]
public sealed class RunScriptTests(LocalStackFixture stack, RunScript runSh) : LocalStackTest(stack), IClassFixture<RunScript>
{
    private static readonly string[] SecretFiles = ["control-secret", "identity-header", "state.json"];

    [Fact]
    public async Task HostKilledDuringVmCreation_RunShRestartsItAndTheRunFinishesOnce()
    {
        using var api = new HttpClient { BaseAddress = runSh.Api, Timeout = TimeSpan.FromSeconds(30) };
        var name = "runsh" + Guid.NewGuid().ToString("N")[..8];
        using var emulator = runSh.Emulator();
        var durations = (await emulator.GetFromJsonAsync<JsonObject>(new Uri("_emulator/durations", UriKind.Relative)))!;
        var vmDuration = durations["virtualMachine"]!.DeepClone();

        // Long enough for the kill to land while ARM is still creating the VM.
        durations["virtualMachine"] = "00:00:15";
        (await emulator.PutAsJsonAsync(new Uri("_emulator/durations", UriKind.Relative), durations)).EnsureSuccessStatusCode();
        try
        {
            var id = await SubmitAsync(api, name);

            // The first check of the VM's operation comes from the activity scheduled after the VM PUT's result was
            // recorded in the task hub: from then on a restarted host replays that PUT instead of sending it again.
            await WaitUntilAsync(async () => (await runSh.JournalAsync())
                .SkipWhile(e => !(e.Method == "PUT" && e.Path.EndsWith($"/virtualMachines/{name}", StringComparison.Ordinal)))
                .Any(e => e.Method == "GET" && e.Path.Contains("/providers/Microsoft.Compute/locations/", StringComparison.Ordinal) && e.Path.Contains("/operations/", StringComparison.Ordinal)));
            var killed = runSh.HostPid;
            using (var host = Process.GetProcessById(killed))
            {
                host.Kill(); // SIGKILL: no shutdown code runs
            }

            var done = await StatusPolling.WaitForFinishAsync(api, id, TimeSpan.FromMinutes(3));
            var journal = await runSh.JournalAsync();
            int Puts(string suffix) => journal.Count(e => e.Method == "PUT" && e.Path.EndsWith(suffix, StringComparison.Ordinal));
            var secretPuts = journal.Where(e => e.Method == "PUT" && e.Path.StartsWith($"/secrets/{name}-", StringComparison.Ordinal)).GroupBy(e => e.Path).ToList();

            Assert.True(done["state"]!.GetValue<string>() == "succeeded", done.ToJsonString());
            Assert.NotEqual(killed, runSh.HostPid);
            Assert.Contains("restart 1 in", runSh.ConsoleOutput(), StringComparison.Ordinal);
            Assert.Equal(1, Puts($"/virtualMachines/{name}"));
            Assert.Equal(1, journal.Count(e => e.Method == "PUT" && e.Path.Contains($"/virtualMachines/{name}/extensions/", StringComparison.Ordinal)));
            Assert.Equal(1, Puts($"/networkSecurityGroups/{name}-nsg"));
            Assert.Equal(1, Puts($"/publicIPAddresses/{name}-ip"));
            Assert.Equal(1, Puts($"/networkInterfaces/{name}-nic"));
            Assert.NotEmpty(secretPuts);
            Assert.All(secretPuts, g => Assert.Single(g));
        }
        finally
        {
            durations["virtualMachine"] = vmDuration;
            await emulator.PutAsJsonAsync(new Uri("_emulator/durations", UriKind.Relative), durations);
        }
    }

    [Fact]
    public async Task StackStoppedAndStartedAgain_StatusAndDockerHostCarryOver()
    {
        using var api = new HttpClient { BaseAddress = runSh.Api, Timeout = TimeSpan.FromSeconds(30) };
        var name = "carry" + Guid.NewGuid().ToString("N")[..8];
        var id = await SubmitAsync(api, name);
        var before = await StatusPolling.WaitForFinishAsync(api, id, TimeSpan.FromMinutes(3));
        Assert.True(before["state"]!.GetValue<string>() == "succeeded", before.ToJsonString());
        var hostPid = runSh.HostPid;

        var exitCode = await runSh.StopAsync();
        var hostGone = !IsRunning(hostPid);
        await runSh.StartAsync();
        var after = (await api.GetFromJsonAsync<JsonObject>(new Uri($"docker-vms/{id}", UriKind.Relative)))!;
        var host = after["host"]!.AsObject();
        var secrets = host["secrets"]!.AsObject();
        var caPem = await runSh.ReadSecretAsync(new Uri(secrets["caCertificate"]!.GetValue<string>()));
        var clientCertificatePem = await runSh.ReadSecretAsync(new Uri(secrets["clientCertificate"]!.GetValue<string>()));
        var clientKeyPem = await runSh.ReadSecretAsync(new Uri(secrets["clientKey"]!.GetValue<string>()));
        using var issued = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(clientCertificatePem, clientKeyPem);
        using var ping = await DockerEndpoint.GetAsync(host["publicIpAddress"]!.GetValue<string>(), new Uri(host["dockerHost"]!.GetValue<string>()).Port, caPem, issued, "/_ping");

        Assert.Equal(143, exitCode); // stopped by SIGTERM, like Ctrl-C
        Assert.True(hostGone, "the local host outlived run.sh");
        Assert.Equal("succeeded", after["state"]!.GetValue<string>());
        Assert.Equal(before["host"]!.ToJsonString(), host.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task EmulatorOfRunSh_ControlApiAndTokenEndpointsWithoutTheirSecrets_Refused()
    {
        using var anonymous = runSh.Emulator(withControlSecret: false);
        using var control = runSh.Emulator();

        using var journal = await anonymous.GetAsync(new Uri("_emulator/requests", UriKind.Relative));
        using var reset = await anonymous.PostAsync(new Uri("_emulator/reset", UriKind.Relative), null);
        using var toolToken = await anonymous.GetAsync(new Uri("_emulator/token?resource=https://vault.azure.net", UriKind.Relative));
        using var identityToken = await anonymous.GetAsync(new Uri("msi/token?api-version=2019-08-01&resource=https://vault.azure.net", UriKind.Relative));
        using var withSecret = await control.GetAsync(new Uri("_emulator/counters", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, journal.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, toolToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, identityToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withSecret.StatusCode);
    }

    [Fact]
    public void LogsAndConsole_HoldNoSecretValue_AndSecretsAreOwnerOnly()
    {
        // Whole, and the key bytes of the whsec_ secrets alone (base64), as a careless log line would carry them.
        string[] secrets = [.. runSh.GeneratedSecrets, runSh.CallbackSigningKey, runSh.CallbackSigningKey["whsec_".Length..],
            runSh.WebhookSigningSecret, runSh.WebhookSigningSecret["whsec_".Length..], "PRIVATE KEY"];
        var files = Directory.GetFiles(runSh.LogDirectory).Concat(runSh.ConsoleFiles).ToList();

        var leaks = files
            .SelectMany(file => secrets.Where(secret => Read(file).Contains(secret, StringComparison.Ordinal)).Select(secret => $"{Path.GetFileName(file)} holds {Describe(secret)}"))
            .ToList();

        Assert.True(leaks.Count == 0, string.Join("; ", leaks));
        Assert.Contains(files, f => Path.GetFileName(f) == "emulator.log");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ModeOf(runSh.LogDirectory));
        Assert.All(Directory.GetFiles(runSh.LogDirectory), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(f)));
        Assert.All(SecretFiles.Select(f => Path.Combine(runSh.StateDirectory, "emulator", f)), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ModeOf(f)));
    }

    private async Task<string> SubmitAsync(HttpClient api, string name)
    {
        using var response = await api.PostAsync(
            new Uri("docker-vms", UriKind.Relative),
            new StringContent(Stack.NewRequest(name, withCallback: false).ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold within 2 minutes.");
            }

            await Task.Delay(100);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static UnixFileMode ModeOf(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("run.sh runs on Unix only.");
        }

        return File.GetUnixFileMode(path);
    }

    private static string Read(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

    /// <summary>Names a leaked secret without printing it (test output is a log too).</summary>
    private static string Describe(string secret) => secret == "PRIVATE KEY" ? "a private key" : $"a secret value ({secret.Length} characters)";
}
