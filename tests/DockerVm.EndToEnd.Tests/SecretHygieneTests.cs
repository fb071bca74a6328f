using System.Reflection;
using Azure.Data.Tables;
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
    public void EveryEndToEndTestClass_IsScannedAfterEachTest()
    {
        var unscanned = typeof(SecretHygieneTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>().Any()))
            .Where(t => !t.IsSubclassOf(typeof(LocalStackTest)))
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
}
