using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using StandardWebhooks;

namespace DockerVm.Api.Webhooks;

/// <summary>
/// Matches a <c>webhook-signature</c> header against the configured secrets. Standard Webhooks spec, "Webhook headers":
/// the header is a space-delimited list of <c>version,signature</c> entries so that secrets can be rotated without
/// downtime, and a consumer tries each until one matches. Only <c>v1</c> (HMAC-SHA256, "Signature scheme") is
/// verified here; other versions (<c>v1a</c>, asymmetric) and entries that are not <c>version,signature</c> are skipped.
/// </summary>
internal static class WebhookSignatures
{
    private const string SymmetricVersion = "v1";

    // HMAC-SHA256 output; a v1 signature of any other length cannot match.
    private const int SignatureBytes = 32;

    /// <summary>
    /// True when any <c>v1</c> entry of <paramref name="header"/> (all its values) is the signature of
    /// <c>{id}.{timestamp}.{payload}</c> with any of <paramref name="secrets"/>; each comparison takes constant time.
    /// </summary>
    /// <exception cref="FormatException">A secret is not base64.</exception>
    public static bool AnyMatches(StringValues header, string id, DateTimeOffset timestamp, string payload, IReadOnlyList<string> secrets)
    {
        // The library computes the signed content, so that signing and verifying share one definition of it.
        var expected = secrets.Select(s => Decode(new StandardWebhook(s).Sign(id, timestamp, payload))).ToArray();
        Span<byte> passed = stackalloc byte[SignatureBytes];
        foreach (var value in header)
        {
            foreach (var entry in (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var comma = entry.IndexOf(',', StringComparison.Ordinal);
                if (comma < 0 || !entry.AsSpan(0, comma).SequenceEqual(SymmetricVersion)
                    || !Convert.TryFromBase64String(entry[(comma + 1)..], passed, out var length) || length != SignatureBytes)
                {
                    continue;
                }

                foreach (var signature in expected)
                {
                    if (CryptographicOperations.FixedTimeEquals(signature, passed))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static byte[] Decode(string versioned) => Convert.FromBase64String(versioned[(versioned.IndexOf(',', StringComparison.Ordinal) + 1)..]);
}
