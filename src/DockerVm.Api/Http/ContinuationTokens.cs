using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace DockerVm.Api.Http;

/// <summary>
/// The list's <c>continuationToken</c> as callers see it: the backend's token (for the Azure Storage provider, the
/// table's next partition and row key) wrapped as <c>v1.&lt;base64url token&gt;.&lt;base64url check&gt;</c>, the check
/// being the first 12 bytes of SHA-256 over the token. Garbage, truncation and edits are then detected before the
/// backend sees them (which would answer an empty page, or a page from somewhere else). The check is not a secret: a
/// token only moves a cursor within a listing its holder may read anyway.
/// </summary>
public static class ContinuationTokens
{
    public const int MaxLength = 4096;

    private const string Version = "v1.";
    private const int CheckBytes = 12;

    public static string Wrap(string backendToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(backendToken);
        var bytes = Encoding.UTF8.GetBytes(backendToken);
        return $"{Version}{Base64Url.EncodeToString(bytes)}.{Base64Url.EncodeToString(Check(bytes))}";
    }

    /// <summary>The backend's token inside <paramref name="token"/>, or false when it is not a token this API issued.</summary>
    public static bool TryUnwrap(string token, [NotNullWhen(true)] out string? backendToken)
    {
        backendToken = null;
        if (token is null || token.Length > MaxLength || !token.StartsWith(Version, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = token[Version.Length..].Split('.');
        if (parts.Length != 2 || !Base64Url.IsValid(parts[0]) || !Base64Url.IsValid(parts[1]))
        {
            return false;
        }

        var bytes = Base64Url.DecodeFromChars(parts[0]);
        var check = Base64Url.DecodeFromChars(parts[1]);
        if (bytes.Length == 0 || !CryptographicOperations.FixedTimeEquals(check, Check(bytes)) || !IsUtf8(bytes))
        {
            return false;
        }

        backendToken = Encoding.UTF8.GetString(bytes);
        return true;
    }

    private static byte[] Check(byte[] bytes) => SHA256.HashData(bytes)[..CheckBytes];

    private static bool IsUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);
}
