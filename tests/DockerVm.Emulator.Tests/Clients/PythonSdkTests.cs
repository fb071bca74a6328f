using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>
/// The Python Azure SDK (Debian's python3-azure under /usr/bin/python3: azure-identity, azure-mgmt-compute,
/// azure-mgmt-network, azure-keyvault-secrets) against the emulator, through python_sdk_client.py. The SDK gets the
/// variables App Service sets (IDENTITY_ENDPOINT, IDENTITY_HEADER: azure-identity's AppServiceCredential) and
/// REQUESTS_CA_BUNDLE; nothing in it is configured for the emulator but the cloud's endpoint and audience.
/// </summary>
[Collection(ClientsCollectionDefinition.Name)]
public sealed class PythonSdkTests(ClientsFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [SkippableFact]
    public async Task PythonSdk_ComputeNetworkAndKeyVault_ListShowPollDeleteAndReadSecret()
    {
        var missing = await InstalledClients.PythonSdkMissingAsync();
        Skip.If(missing is not null, missing);
        var since = DateTimeOffset.UtcNow;
        const string created = "py-created-ip";

        var run = await RunAsync("tour", fixture.Emulator.IdentityHeader, created);
        var result = JsonNode.Parse(run.Stdout)!;

        Assert.Equal(new string?[] { ClientsFixture.VmName }, result["vmNames"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(fixture.VmId, (string?)result["vm"]!["id"], ignoreCase: true);
        Assert.Equal("Succeeded", (string?)result["vm"]!["provisioningState"]);
        Assert.Equal("Standard_B2s", (string?)result["vm"]!["vmSize"]);
        Assert.Equal(fixture.PublicIpAddress, (string?)result["publicIp"]!["ipAddress"]);
        Assert.Equal(fixture.Fqdn, (string?)result["publicIp"]!["fqdn"]);
        Assert.Equal("Succeeded", (string?)result["created"]!["provisioningState"]);
        Assert.True((bool?)result["createdIsGone"]);
        Assert.Equal(ClientsFixture.SecretValue, (string?)result["secret"]!["value"]);

        var requests = fixture.RequestsSince(since);
        var createdPath = $"{fixture.PublicIpId[..fixture.PublicIpId.LastIndexOf('/')]}/{created}";
        Assert.Contains(requests, r => r is { Method: "GET", Path: "/msi/token", Status: 200 });
        Assert.Contains(requests, r => r.Method == "PUT" && r.Path.Equals(createdPath, StringComparison.OrdinalIgnoreCase) && r.Status == 201);
        Assert.Contains(requests, r => r.Method == "DELETE" && r.Path.Equals(createdPath, StringComparison.OrdinalIgnoreCase) && r.Status == 202);

        // Each operation stayed InProgress for two seconds (Retry-After 1): the SDK polled each status URL at least twice.
        Assert.True(requests.Count(r => r.Method == "GET" && r.Path.Contains("/providers/Microsoft.Network/locations/", StringComparison.Ordinal) && r.Path.Contains("/operations/", StringComparison.Ordinal)) >= 4);

        // Key Vault's challenge protocol: the first request goes without a token and is answered 401 with the resource.
        var secretPath = $"/secrets/{ClientsFixture.SecretName}";
        Assert.Contains(requests, r => r.Path.StartsWith(secretPath, StringComparison.Ordinal) && r.Status == 401);
        Assert.Contains(requests, r => r.Path.StartsWith(secretPath, StringComparison.Ordinal) && r.Status == 200);
    }

    [SkippableFact]
    public async Task PythonSdk_WrongIdentityHeader_CredentialIsRefused()
    {
        var missing = await InstalledClients.PythonSdkMissingAsync();
        Skip.If(missing is not null, missing);
        var since = DateTimeOffset.UtcNow;

        var run = await RunAsync("token", "not-the-identity-header", "unused");
        var result = JsonNode.Parse(run.Stdout)!;

        Assert.Equal("refused", (string?)result["token"]);
        Assert.Contains(fixture.RequestsSince(since), r => r is { Method: "GET", Path: "/msi/token", Status: 401 });
        Assert.DoesNotContain(fixture.RequestsSince(since), r => r is { Path: "/msi/token", Status: 200 });
    }

    private async Task<ChildResult> RunAsync(string mode, string identityHeader, string createdName)
    {
        var emulator = fixture.Emulator;
        var run = await ChildProcess.RunAsync(InstalledClients.Python, [InstalledClients.ScriptPath("python_sdk_client.py"), mode], new Dictionary<string, string>
        {
            ["IDENTITY_ENDPOINT"] = emulator.IdentityEndpoint.ToString(),
            ["IDENTITY_HEADER"] = identityHeader,
            ["REQUESTS_CA_BUNDLE"] = emulator.CertificatePath,
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["DOCKERVM_ARM_ENDPOINT"] = emulator.ArmEndpoint.ToString(),
            ["DOCKERVM_ARM_AUDIENCE"] = emulator.ArmAudience,
            ["DOCKERVM_SUBSCRIPTION_ID"] = emulator.SubscriptionId,
            ["DOCKERVM_RESOURCE_GROUP"] = ClientsFixture.GroupName,
            ["DOCKERVM_VM_NAME"] = ClientsFixture.VmName,
            ["DOCKERVM_PUBLIC_IP_NAME"] = ClientsFixture.PublicIpName,
            ["DOCKERVM_NEW_PUBLIC_IP_NAME"] = createdName,
            ["DOCKERVM_VAULT_URL"] = emulator.VaultUri.ToString(),
            ["DOCKERVM_SECRET_NAME"] = ClientsFixture.SecretName,
        }, Timeout);
        output.WriteLine($"python {mode}: exit {run.ExitCode} in {run.Elapsed.TotalSeconds:F1} s");
        Assert.True(run.ExitCode == 0, $"python_sdk_client.py {mode}: {run}");
        return run;
    }
}
