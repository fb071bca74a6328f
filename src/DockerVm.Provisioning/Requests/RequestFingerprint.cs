using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// What makes two requests "the same request": the validated spec with every default applied (so <c>{}</c>-omitted
/// defaults and spelled-out defaults agree), without the idempotency key, the service's settings and the run id.
/// Hashes only: keys and fingerprints are stored and compared, never the caller's text.
/// </summary>
public static class RequestFingerprint
{
    public static string Of(DockerVmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var canonical = spec with
        {
            IdempotencyKey = null,
            Settings = null,
            RunId = null,

            // Tag order carries no meaning; Azure treats tag names case-insensitively but keeps their case, so do we.
            Tags = new SortedDictionary<string, string>(spec.Tags.ToDictionary(), StringComparer.Ordinal),
        };
        return Hash(JsonSerializer.Serialize(canonical, JsonSerializerOptions.Web));
    }

    /// <summary>The stored form of an idempotency key (case-sensitive).</summary>
    public static string OfKey(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        return Hash(idempotencyKey);
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
