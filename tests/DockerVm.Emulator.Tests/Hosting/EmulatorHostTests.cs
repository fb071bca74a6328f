using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Hosting;

/// <summary>The standalone tool and the control API's state dump/reset.</summary>
public sealed class EmulatorHostTests
{
    [Fact]
    public async Task Command_PortZero_PrintsWhatClientsNeedAndWritesCertificate()
    {
        var directory = Directory.CreateTempSubdirectory("emulator-cli-");
        var certificatePath = Path.Combine(directory.FullName, "emulator-cert.pem");
        using var output = new StringWriter();
        using var cancellation = new CancellationTokenSource();
        var run = EmulatorCommand.Create()
            .Parse(["--port", "0", "--cert-path", certificatePath, "--identity-header-path", Path.Combine(directory.FullName, "identity-header"),
                "--control-secret-path", Path.Combine(directory.FullName, "control-secret")])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output }, cancellation.Token);
        try
        {
            await WaitForOutputAsync(output, "IDENTITY_HEADER", run);

            var text = output.ToString();
            Assert.Matches(@"IDENTITY_ENDPOINT=https://127\.0\.0\.1:\d+/msi/token", text);
            Assert.Contains("Subscription id:", text, StringComparison.Ordinal);
            Assert.Contains("Key Vault URL:", text, StringComparison.Ordinal);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", await File.ReadAllTextAsync(certificatePath), StringComparison.Ordinal);
        }
        finally
        {
            await cancellation.CancelAsync();
            Assert.Equal(0, await run);
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Command_Secrets_WrittenToOwnerOnlyFilesAndNeverPrinted()
    {
        var directory = Directory.CreateTempSubdirectory("emulator-cli-");
        var identityPath = Path.Combine(directory.FullName, "identity-header");
        var secretPath = Path.Combine(directory.FullName, "control-secret");
        using var output = new StringWriter();
        using var cancellation = new CancellationTokenSource();
        var run = EmulatorCommand.Create()
            .Parse(["--port", "0", "--cert-path", Path.Combine(directory.FullName, "cert.pem"), "--identity-header", "given-identity-header-value",
                "--identity-header-path", identityPath, "--control-secret-path", secretPath])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output }, cancellation.Token);
        try
        {
            await WaitForOutputAsync(output, "IDENTITY_HEADER", run);
            var controlSecret = await File.ReadAllTextAsync(secretPath);

            // The console usually ends up in a log file (./run.sh's .local/logs/emulator.log): paths only, never values.
            Assert.Equal("given-identity-header-value", await File.ReadAllTextAsync(identityPath));
            Assert.Matches("^[0-9a-f]{64}$", controlSecret);
            Assert.DoesNotContain("given-identity-header-value", output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(controlSecret, output.ToString(), StringComparison.Ordinal);
            Assert.Contains(identityPath, output.ToString(), StringComparison.Ordinal);
            Assert.Contains(secretPath, output.ToString(), StringComparison.Ordinal);
            Assert.True(FileModes.IsOwnerOnly(identityPath), identityPath);
            Assert.True(FileModes.IsOwnerOnly(secretPath), secretPath);
        }
        finally
        {
            await cancellation.CancelAsync();
            Assert.Equal(0, await run);
            directory.Delete(recursive: true);
        }
    }

    private static async Task WaitForOutputAsync(StringWriter output, string text, Task<int> run)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!output.ToString().Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline && !run.IsCompleted)
        {
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task StateDumpAndReset_ThroughControlApi()
    {
        await using var emulator = await AzureEmulator.StartAsync();
        var subscription = await AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)).GetDefaultSubscriptionAsync();
        await Scenario.GroupAsync(AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)), "rg-dump");
        using var http = PinnedTransport.ControlClient(emulator);

        var before = JsonNode.Parse(await http.GetStringAsync(new Uri("_emulator/state", UriKind.Relative)))!;
        (await http.PostAsync(new Uri("_emulator/reset", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var after = emulator.Control.DumpState();

        Assert.Equal("rg-dump", (string?)before["resourceGroups"]![0]!["name"]);
        Assert.Empty(after["resourceGroups"]!.AsArray());
        Assert.Equal(emulator.SubscriptionId, subscription.Data.SubscriptionId);
    }

    [Fact]
    public async Task UnknownPath_AzureShapedNotFound()
    {
        await using var emulator = await AzureEmulator.StartAsync();
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueToken("https://management.azure.com"));

        using var response = await http.GetAsync(new Uri("nothing/here", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("NotFound", (string?)body["error"]?["code"]);
    }
}
