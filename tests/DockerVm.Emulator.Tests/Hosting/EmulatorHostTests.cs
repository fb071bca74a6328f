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
            .Parse(["--port", "0", "--cert-path", certificatePath, "--identity-header", "fixed-header"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output }, cancellation.Token);
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!output.ToString().Contains("IDENTITY_HEADER=", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !run.IsCompleted)
            {
                await Task.Delay(50);
            }

            var text = output.ToString();
            Assert.Matches(@"IDENTITY_ENDPOINT=https://127\.0\.0\.1:\d+/msi/token", text);
            Assert.Contains("IDENTITY_HEADER=fixed-header", text, StringComparison.Ordinal);
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
    public async Task StateDumpAndReset_ThroughControlApi()
    {
        await using var emulator = await AzureEmulator.StartAsync();
        var subscription = await AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)).GetDefaultSubscriptionAsync();
        await Scenario.GroupAsync(AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)), "rg-dump");
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);

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
