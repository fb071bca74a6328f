using System.Net;
using System.Net.Http.Headers;
using Azure;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.KeyVault;

/// <summary>Key Vault secrets through the real SecretClient (challenge flow, soft delete, purge, paging).</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class KeyVaultSecretTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task SetSecret_TwoVersions_GetLatestAndByVersion()
    {
        var client = fixture.Secrets();

        var first = (await client.SetSecretAsync(new KeyVaultSecret("vm1-client-key", "v1") { Properties = { ContentType = "application/x-pem-file", Tags = { ["vm"] = "vm1" } } })).Value;
        var second = (await client.SetSecretAsync("vm1-client-key", "v2")).Value;

        var latest = (await client.GetSecretAsync("vm1-client-key")).Value;
        var old = (await client.GetSecretAsync("vm1-client-key", first.Properties.Version)).Value;
        var versions = new List<SecretProperties>();
        await foreach (var version in client.GetPropertiesOfSecretVersionsAsync("vm1-client-key"))
        {
            versions.Add(version);
        }

        Assert.Equal("v2", latest.Value);
        Assert.Equal(second.Properties.Version, latest.Properties.Version);
        Assert.Equal("v1", old.Value);
        Assert.Equal("application/x-pem-file", old.Properties.ContentType);
        Assert.Equal("vm1", old.Properties.Tags["vm"]);
        Assert.Equal("Recoverable+Purgeable", latest.Properties.RecoveryLevel);
        Assert.Equal(2, versions.Count);
        Assert.StartsWith(fixture.Emulator.VaultUri.ToString(), latest.Id.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSecrets_MoreThanOnePage_FollowsNextLink()
    {
        var client = fixture.Secrets();
        for (var i = 0; i < 30; i++)
        {
            await client.SetSecretAsync($"page-secret-{i:D2}", "x");
        }

        var names = new List<string>();
        await foreach (var properties in client.GetPropertiesOfSecretsAsync())
        {
            names.Add(properties.Name);
        }

        Assert.Equal(30, names.Count(n => n.StartsWith("page-secret-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DeleteSecret_SoftDeleteRecoverThenPurge_BehavesLikeVault()
    {
        var client = fixture.Secrets();
        await client.SetSecretAsync("soft-deleted", "value");

        var delete = await client.StartDeleteSecretAsync("soft-deleted");
        await delete.WaitForCompletionAsync();
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("soft-deleted"));
        var reuse = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync("soft-deleted", "other"));
        var deleted = (await client.GetDeletedSecretAsync("soft-deleted")).Value;

        var recover = await client.StartRecoverDeletedSecretAsync("soft-deleted");
        await recover.WaitForCompletionAsync();
        var recovered = (await client.GetSecretAsync("soft-deleted")).Value;

        await (await client.StartDeleteSecretAsync("soft-deleted")).WaitForCompletionAsync();
        await client.PurgeDeletedSecretAsync("soft-deleted");
        var purged = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetDeletedSecretAsync("soft-deleted"));
        var recreated = (await client.SetSecretAsync("soft-deleted", "fresh")).Value;

        Assert.Equal("SecretNotFound", missing.ErrorCode);
        Assert.Equal(409, reuse.Status);
        Assert.NotNull(deleted.RecoveryId);
        Assert.NotNull(deleted.ScheduledPurgeDate);
        Assert.Equal("value", recovered.Value);
        Assert.Equal(404, purged.Status);
        Assert.Equal("fresh", recreated.Value);
    }

    [Fact]
    public async Task SetSecret_InvalidName_BadParameter()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => fixture.Secrets().SetSecretAsync("not_valid", "x"));

        Assert.Equal(400, error.Status);
        Assert.Equal("BadParameter", error.ErrorCode);
    }

    [Fact]
    public async Task GetSecret_Disabled_Forbidden()
    {
        var client = fixture.Secrets();
        var secret = (await client.SetSecretAsync("disabled-secret", "x")).Value;
        secret.Properties.Enabled = false;
        await client.UpdateSecretPropertiesAsync(secret.Properties);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("disabled-secret"));

        Assert.Equal(403, error.Status);
    }

    [Fact]
    public async Task RawRequest_WithoutToken_ChallengeNamesVaultResource()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri("secrets/anything?api-version=7.6", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("resource=\"https://vault.azure.net\"", challenge, StringComparison.Ordinal);
        Assert.Contains($"authorization=\"https://login.microsoftonline.com/{fixture.Emulator.TenantId}\"", challenge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7.0", HttpStatusCode.OK)]
    [InlineData("7.4", HttpStatusCode.OK)]
    [InlineData("2025-07-01", HttpStatusCode.OK)]
    [InlineData("9.9", HttpStatusCode.BadRequest)]
    public async Task RawRequest_ApiVersions_PublishedAcceptedUnknownRejected(string version, HttpStatusCode expected)
    {
        using var http = fixture.Http();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Emulator.IssueToken("https://vault.azure.net"));

        using var response = await http.GetAsync(new Uri($"secrets?api-version={version}", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task SecretClient_TokenForArmAudience_Unauthorized()
    {
        var client = AzureClients.Secrets(fixture.Emulator, EmulatorTokenCredential.Fixed(fixture.Emulator.IssueToken("https://management.azure.com")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("whatever"));

        Assert.Equal(401, error.Status);
        Assert.Contains("Invalid audience", error.Message, StringComparison.Ordinal);
    }
}
