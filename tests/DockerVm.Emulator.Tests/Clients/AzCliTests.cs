using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>
/// The Azure CLI (Debian's azure-cli 2.45, /usr/bin/az) against the emulator, as a user looks at the local cloud:
/// <c>az cloud register</c> from the metadata endpoint, <c>az login --identity</c>, then reading the VM, its public IP
/// and a secret. Commands whose SDK modules the machine lacks are SKIPPED with the reason (see az_sdk_probe.py).
/// </summary>
[Collection(ClientsCollectionDefinition.Name)]
public sealed class AzCliTests(ClientsFixture fixture, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task AzCli_CloudRegisterAndLoginIdentity_SignsInToTheEmulatedSubscription()
    {
        var missing = InstalledClients.AzMissing;
        Skip.If(missing is not null, missing);
        var signIn = await fixture.Az.SignInAsync();
        var accounts = JsonNode.Parse(signIn.Steps[^1].Stdout)!.AsArray();
        Report(signIn.Steps);

        var account = Assert.Single(accounts)!;
        Assert.Equal(fixture.Emulator.SubscriptionId, (string?)account["id"]);
        Assert.Equal(fixture.Emulator.TenantId, (string?)account["tenantId"]);
        Assert.Equal(AzCliSession.CloudName, (string?)account["environmentName"]);
        Assert.Equal("systemAssignedIdentity", (string?)account["user"]?["name"]);

        // The cloud came from the metadata endpoint, the token from App Service's GET with the secret, never a POST form.
        Assert.Contains(signIn.Requests, r => r is { Method: "GET", Path: "/metadata/endpoints", Status: 200 });
        Assert.Contains(signIn.Requests, r => r is { Method: "GET", Path: "/msi/token/", Status: 200 });
        Assert.DoesNotContain(signIn.Requests, r => r is { Method: "POST" });
        Assert.Contains(signIn.Requests, r => r is { Method: "GET", Status: 200 } && r.Path == "/subscriptions");
    }

    /// <summary>
    /// Without APPSETTING_WEBSITE_SITE_NAME, msrestazure (az 2.45's MSIAuthentication) POSTs <c>resource=…</c> with
    /// only <c>Metadata: true</c>, the Cloud Shell convention: no secret, so no token and nobody signed in.
    /// </summary>
    [SkippableFact]
    public async Task AzCli_LoginIdentityWithoutAppServiceVariable_IsRefusedAndSignsNobodyIn()
    {
        var missing = InstalledClients.AzMissing;
        Skip.If(missing is not null, missing);
        var directory = await fixture.Az.RegisteredButSignedOutDirectoryAsync();
        var since = DateTimeOffset.UtcNow;

        var login = await fixture.Az.RunInAsync(directory, appService: false, "login", "--identity", "-o", "json");
        Report([login]);

        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("401", login.Stderr, StringComparison.Ordinal);
        var requests = fixture.RequestsSince(since);
        Assert.Contains(requests, r => r is { Method: "POST", Path: "/msi/token", Status: 401 });
        Assert.DoesNotContain(requests, r => r.Path.StartsWith("/subscriptions", StringComparison.Ordinal));
        var profile = Path.Combine(directory, "azureProfile.json");
        Assert.True(!File.Exists(profile) || !(await File.ReadAllTextAsync(profile)).Contains(fixture.Emulator.SubscriptionId, StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>az resource</c> reads any type through Microsoft.Resources, with the api-version from the provider's
    /// metadata: it works with every az build. The list sends <c>$filter=resourceType eq '…'</c>; the show by
    /// group and name sends <c>providers/Microsoft.Network//publicIPAddresses/…</c> (empty parent path).
    /// </summary>
    [SkippableFact]
    public async Task AzCli_ResourceListAndShow_ReturnTheEmulatedVmAndPublicIp()
    {
        var missing = InstalledClients.AzMissing;
        Skip.If(missing is not null, missing);
        await fixture.Az.SignInAsync();

        var vms = (await fixture.Az.JsonAsync("resource", "list", "--resource-type", "Microsoft.Compute/virtualMachines")).AsArray();
        var vm = await fixture.Az.JsonAsync("resource", "show", "--ids", fixture.VmId);
        var ip = await fixture.Az.JsonAsync("resource", "show", "-g", ClientsFixture.GroupName, "-n", ClientsFixture.PublicIpName, "--resource-type", "Microsoft.Network/publicIPAddresses");

        Assert.Equal(new string?[] { ClientsFixture.VmName }, vms.Select(v => (string?)v!["name"]));
        Assert.Equal("Succeeded", (string?)vm["properties"]?["provisioningState"]);
        Assert.Equal("Standard_B2s", (string?)vm["properties"]?["hardwareProfile"]?["vmSize"]);
        Assert.Equal(fixture.PublicIpAddress, (string?)ip["properties"]?["ipAddress"]);
        Assert.Equal(fixture.Fqdn, (string?)ip["properties"]?["dnsSettings"]?["fqdn"]);
    }

    /// <summary><c>az rest --resource</c> asks the identity for a Key Vault token, as for any data plane az has no command for.</summary>
    [SkippableFact]
    public async Task AzCli_RestWithVaultResource_ReadsTheSecret()
    {
        var missing = InstalledClients.AzMissing;
        Skip.If(missing is not null, missing);
        await fixture.Az.SignInAsync();

        var secret = await fixture.Az.JsonAsync("rest", "--method", "get", "--resource", "https://vault.azure.net", "--url", $"{fixture.SecretId}?api-version=7.4");

        Assert.Equal(ClientsFixture.SecretValue, (string?)secret["value"]);
        Assert.Equal(fixture.SecretId.ToString(), (string?)secret["id"]);
    }

    [SkippableFact]
    public async Task AzCli_VmListAndShow_ReturnTheEmulatedVm()
    {
        var missing = await InstalledClients.AzCommandMissingAsync("vm");
        Skip.If(missing is not null, missing);
        await fixture.Az.SignInAsync();

        var vms = (await fixture.Az.JsonAsync("vm", "list")).AsArray();
        var vm = await fixture.Az.JsonAsync("vm", "show", "-g", ClientsFixture.GroupName, "-n", ClientsFixture.VmName);

        Assert.Equal(new string?[] { ClientsFixture.VmName }, vms.Select(v => (string?)v!["name"]));
        Assert.Equal(fixture.VmId, (string?)vm["id"], ignoreCase: true);
        Assert.Equal("Succeeded", (string?)vm["provisioningState"]);
        Assert.Equal("Standard_B2s", (string?)vm["hardwareProfile"]?["vmSize"]);
    }

    [SkippableFact]
    public async Task AzCli_NetworkPublicIpShow_ReturnsTheEmulatedAddress()
    {
        var missing = await InstalledClients.AzCommandMissingAsync("network");
        Skip.If(missing is not null, missing);
        await fixture.Az.SignInAsync();

        var ip = await fixture.Az.JsonAsync("network", "public-ip", "show", "-g", ClientsFixture.GroupName, "-n", ClientsFixture.PublicIpName);

        Assert.Equal(fixture.PublicIpAddress, (string?)ip["ipAddress"]);
        Assert.Equal(fixture.Fqdn, (string?)ip["dnsSettings"]?["fqdn"]);
    }

    /// <summary>
    /// By URL (<c>--id</c>): <c>--vault-name</c> builds <c>https://{name}{keyvault_dns suffix}</c>, and the emulator's
    /// vault is its root URL on loopback, which no vault name and suffix produce.
    /// </summary>
    [SkippableFact]
    public async Task AzCli_KeyVaultSecretShowById_ReturnsTheSecret()
    {
        var missing = await InstalledClients.AzCommandMissingAsync("keyvault");
        Skip.If(missing is not null, missing);
        await fixture.Az.SignInAsync();

        var secret = await fixture.Az.JsonAsync("keyvault", "secret", "show", "--id", fixture.SecretId.ToString());

        Assert.Equal(ClientsFixture.SecretValue, (string?)secret["value"]);
    }

    private void Report(IEnumerable<ChildResult> results)
    {
        foreach (var result in results)
        {
            output.WriteLine($"az: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:F1} s");
        }
    }
}
