using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>Fails start-up on unusable callback settings. Messages name a bad key, never its value.</summary>
internal sealed class CallbackOptionsValidator : IValidateOptions<CallbackOptions>
{
    private const string SecretPrefix = "whsec_";

    public ValidateOptionsResult Validate(string? name, CallbackOptions options)
    {
        var failures = new List<string>();
        if (options.MaxAttempts is < 1 or > CallbackRetry.MaxAttemptsLimit)
        {
            failures.Add($"Callbacks:MaxAttempts must be from 1 to {CallbackRetry.MaxAttemptsLimit}.");
        }

        if (options.InitialBackoff <= TimeSpan.Zero || options.MaxBackoff < options.InitialBackoff)
        {
            failures.Add("Callbacks:InitialBackoff must be positive and not above Callbacks:MaxBackoff.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add("Callbacks:AttemptTimeout must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.Source) || !Uri.TryCreate(options.Source, UriKind.RelativeOrAbsolute, out _))
        {
            failures.Add("Callbacks:Source must be a URI reference such as '/dockervmfunctions'.");
        }

        foreach (var (keyName, secret) in options.SigningKeys)
        {
            if (!IsUsableSecret(secret))
            {
                failures.Add($"Callbacks:SigningKeys:{keyName} is not a Standard Webhooks secret ('whsec_' + base64 of 24 to 64 random bytes).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsUsableSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return false;
        }

        var base64 = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) && length is >= 24 and <= 64;
    }
}
