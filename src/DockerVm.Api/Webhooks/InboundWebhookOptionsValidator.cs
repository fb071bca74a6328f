using Microsoft.Extensions.Options;

namespace DockerVm.Api.Webhooks;

/// <summary>Fails start-up on an unusable webhook secret. Messages name the setting, never its value.</summary>
internal sealed class InboundWebhookOptionsValidator : IValidateOptions<InboundWebhookOptions>
{
    private const string SecretPrefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, InboundWebhookOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, secret) in new[] { ("SigningSecret", options.SigningSecret), ("PreviousSigningSecret", options.PreviousSigningSecret) })
        {
            if (!string.IsNullOrWhiteSpace(secret) && !IsUsableSecret(secret))
            {
                failures.Add($"Webhooks:{key} is not a Standard Webhooks secret ('whsec_' + base64 of 24 to 64 random bytes).");
            }
        }

        if (string.IsNullOrWhiteSpace(options.SigningSecret) && !string.IsNullOrWhiteSpace(options.PreviousSigningSecret))
        {
            failures.Add("Webhooks:PreviousSigningSecret is set but Webhooks:SigningSecret is not; a rotation needs the new secret as the current one.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Standard Webhooks spec, "Signature scheme": a symmetric secret is 24 to 64 random bytes, base64, prefixed <c>whsec_</c>.</summary>
    internal static bool IsUsableSecret(string secret)
    {
        var base64 = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length is >= 24 and <= 64;
    }
}
