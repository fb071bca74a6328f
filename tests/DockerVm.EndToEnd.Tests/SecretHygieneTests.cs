using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

/// <summary>
/// Private keys go to Key Vault and nowhere else, and signing secrets stay in configuration. Every test of the suite is
/// followed by a scan of everything the stack has written (<see cref="LocalStackTest"/>); these tests add a full
/// provision/deprovision cycle of their own, check that no test class escapes the scan and that the scan still sees.
/// </summary>
[Collection(LocalStackCollectionDefinition.Name)]
public sealed class SecretHygieneTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    [Fact]
    public async Task AfterProvisioningAndDeprovisioning_TaskHubStorageLogsAndStatuses_HoldNoPrivateKey()
    {
        var name = Stack.NewVmName("keys");
        var (_, id, _, body) = await Stack.SubmitAsync(Stack.NewRequest(name));
        Assert.True(id is not null, body);
        await Stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "succeeded");
        using (var delete = await Stack.Api.DeleteAsync(new Uri($"docker-vms/{id}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, delete.StatusCode);
        }

        await Stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "deprovisioned");

        var findings = await KeyMaterialScanner.FindAsync(Stack);

        Assert.True(findings.Count == 0, "Key material found in: " + string.Join(", ", findings));
    }

    [Fact]
    public async Task QueueMessageWithAPrivateKey_PoisonRecordHoldsNoKeyButTheHash()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Stack.NewRequest(Stack.NewVmName("leak"));
        request["sshPublicKey"] = ec.ExportPkcs8PrivateKeyPem();
        var text = request.ToJsonString();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

        await Queue(Stack.RequestQueueName).SendMessageAsync(text);

        var record = await WaitForPoisonAsync(hash);
        Assert.Equal("validation-failed", record["reason"]!.GetValue<string>());
        Assert.Equal("ssh-key-private-key", record["errors"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal("[redacted]", JsonNode.Parse(record["originalMessage"]!.GetValue<string>())!["sshPublicKey"]!.GetValue<string>());

        var findings = await KeyMaterialScanner.FindAsync(Stack);
        Assert.True(findings.Count == 0, "Key material found in: " + string.Join(", ", findings));
    }

    [Fact]
    public async Task PlantedPrivateKeyInAPoisonRecord_EscapedInsideJson_ScanReportsIt()
    {
        // A record as an unredacted writer would leave it: the key inside originalMessage, its label escaped (\u0020),
        // so only a scan that decodes the JSON strings sees "PRIVATE KEY".
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ec.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal).Replace("PRIVATE KEY", "PRIVATE\\u0020KEY", StringComparison.Ordinal);
        var original = "{\"sshPublicKey\":\"" + pem + "\"}";
        var planted = new JsonObject { ["reason"] = "validation-failed", ["originalMessage"] = original }.ToJsonString();
        Assert.DoesNotContain("PRIVATE KEY", planted, StringComparison.Ordinal);
        var poison = Queue("canary-" + Guid.NewGuid().ToString("N")[..8] + "-poison");
        await poison.CreateAsync();
        try
        {
            var sent = (await poison.SendMessageAsync(planted)).Value;

            var findings = await KeyMaterialScanner.FindAsync(Stack);

            Assert.Contains($"queue {poison.Name}/{sent.MessageId}", findings);
        }
        finally
        {
            await poison.DeleteAsync();
        }
    }

    [Fact]
    public void EveryEndToEndTestClass_IsScannedAfterEachTest()
    {
        var unscanned = typeof(SecretHygieneTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            .Where(t => !t.IsSubclassOf(typeof(LocalStackTest)))
            // The live test talks to a subscription, not to the local stack: there is nothing local to scan. Its steps
            // run here too (LiveScenarioOnLocalStackTests), scanned like every other class.
            .Where(t => t != typeof(Live.LiveAzureTests))
            .Select(t => t.Name);

        Assert.Empty(unscanned);
    }

    [Fact]
    public async Task PlantedPrivateKeyAndSigningSecret_InTableAndLog_ScanReportsBoth()
    {
        // Planted and removed within the test, so the scan after it sees a clean stack again.
        var pem = "-----BEGIN " + "PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END " + "PRIVATE KEY-----";
        var table = new TableClient(Stack.Azurite.ConnectionString, "canary" + Guid.NewGuid().ToString("N")[..8]);
        var log = Path.Combine(Stack.LogDirectory, $"canary-{Guid.NewGuid():N}.log");
        await table.CreateAsync();
        try
        {
            await table.AddEntityAsync(new TableEntity("p", "r") { ["Input"] = pem });
            await File.WriteAllTextAsync(log, "configured " + Stack.SigningSecret);

            var findings = await KeyMaterialScanner.FindAsync(Stack);

            Assert.Contains(findings, f => f.StartsWith($"table {table.Name}/", StringComparison.Ordinal));
            Assert.Contains($"log {Path.GetFileName(log)}", findings);
        }
        finally
        {
            await table.DeleteAsync();
            File.Delete(log);
        }
    }

    private QueueClient Queue(string name) =>
        new(Stack.Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    private async Task<JsonObject> WaitForPoisonAsync(string originalSha256)
    {
        var poison = Queue(Stack.RequestQueueName + "-poison");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            if (await poison.ExistsAsync())
            {
                foreach (var message in (await poison.PeekMessagesAsync(32)).Value)
                {
                    var record = JsonNode.Parse(message.Body.ToString())!.AsObject();
                    if (record["originalMessageSha256"]?.GetValue<string>() == originalSha256)
                    {
                        return record;
                    }
                }
            }
        }

        throw new TimeoutException("The message did not reach the poison queue.");
    }
}
