using DockerVm.Api.Webhooks;
using DockerVm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DockerVm.Api.Tests.Webhooks;

public sealed class InboundWebhookOptionsValidatorTests
{
    private static async Task<Exception?> ValidateAsync(Action<Dictionary<string, string?>> configure)
    {
        await using var api = ApiTestContext.Create(configure);
        return Record.Exception(() => api.Services.GetRequiredService<IOptions<InboundWebhookOptions>>().Value);
    }

    [Theory]
    [InlineData("Webhooks:SigningSecret", "whsec_not base64!")]
    [InlineData("Webhooks:PreviousSigningSecret", "whsec_not base64!")]
    [InlineData("Webhooks:PreviousSigningSecret", "whsec_c2hvcnQtc2VjcmV0")] // 12 bytes; Standard Webhooks asks for 24 to 64
    [InlineData("Webhooks:PreviousSigningSecret", "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/webhook-signing-secret/0123)")]
    public async Task Options_UnusableSecret_FailsStartNamingTheSettingButNotTheValue(string key, string value)
    {
        var error = await ValidateAsync(s => s[key] = value);

        var failure = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_PreviousSecretWithoutCurrent_FailsStart()
    {
        var error = await ValidateAsync(s =>
        {
            s["Webhooks:SigningSecret"] = "";
            s["Webhooks:PreviousSigningSecret"] = ApiTestContext.WebhookSecret;
        });

        Assert.Contains("Webhooks:SigningSecret", Assert.IsType<OptionsValidationException>(error).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(ApiTestContext.WebhookSecret)]
    [InlineData("whsec_bG9jYWwtcGxhY2Vob2xkZXItbm90LWEtc2VjcmV0ISE=")]
    public async Task Options_PreviousSecretEmptySameAsCurrentOrAnother_Starts(string? previous)
    {
        Assert.Null(await ValidateAsync(s => s["Webhooks:PreviousSigningSecret"] = previous));
    }
}
