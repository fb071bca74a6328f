using Azure;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.KeyVault;

/// <summary>Secret tags: at most 15, names and values of at most 512 characters (about-secrets.md, "Secret tags"); more
/// is 400 BadParameter "Property has invalid value" (hashicorp/terraform-provider-azurerm#16780).</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class KeyVaultTagLimitTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task SetSecret_SixteenTags_BadParameterAndNothingStored()
    {
        var client = fixture.Secrets();
        var secret = new KeyVaultSecret("sixteen-tags", "x");
        for (var i = 0; i < 16; i++)
        {
            secret.Properties.Tags[$"t{i}"] = "v";
        }

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.SetSecretAsync(secret));
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetSecretAsync("sixteen-tags"));

        Assert.Equal(400, error.Status);
        Assert.Equal("BadParameter", error.ErrorCode);
        Assert.StartsWith("Property has invalid value", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, missing.Status);
    }

    [Theory]
    [InlineData(513, 1)]
    [InlineData(1, 513)]
    public async Task SetSecret_TagNameOrValueOver512Characters_BadParameter(int nameLength, int valueLength)
    {
        var secret = new KeyVaultSecret($"long-tag-{nameLength}", "x") { Properties = { Tags = { [new string('n', nameLength)] = new string('v', valueLength) } } };

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => fixture.Secrets().SetSecretAsync(secret));

        Assert.Equal("BadParameter", error.ErrorCode);
    }

    [Fact]
    public async Task SetSecret_FifteenTagsOf512Characters_Accepted()
    {
        var secret = new KeyVaultSecret("fifteen-tags", "x");
        for (var i = 0; i < 15; i++)
        {
            secret.Properties.Tags[$"{i:D2}" + new string('n', 510)] = new string('v', 512);
        }

        var stored = (await fixture.Secrets().SetSecretAsync(secret)).Value;

        Assert.Equal(15, stored.Properties.Tags.Count);
    }

    [Fact]
    public async Task UpdateSecretProperties_SixteenTags_BadParameterAndTagsKept()
    {
        var client = fixture.Secrets();
        var stored = (await client.SetSecretAsync(new KeyVaultSecret("update-tags", "x") { Properties = { Tags = { ["keep"] = "me" } } })).Value;
        for (var i = 0; i < 16; i++)
        {
            stored.Properties.Tags[$"t{i}"] = "v";
        }

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.UpdateSecretPropertiesAsync(stored.Properties));
        var current = (await client.GetSecretAsync("update-tags")).Value;

        Assert.Equal("BadParameter", error.ErrorCode);
        Assert.Equal(["keep"], current.Properties.Tags.Keys);
    }
}
