using System.Text.RegularExpressions;

namespace DockerVm.Provisioning.Requests;

/// <summary>The format of an idempotency key, whether it comes from the body, the <c>Idempotency-Key</c> header or a webhook id.</summary>
public static partial class IdempotencyKeys
{
    public const string FormatMessage = "The idempotency key must be 1 to 100 characters of letters, digits, '.', '_', ':' or '-'.";

    public static bool IsValid(string key) => Pattern().IsMatch(key);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex Pattern();
}
