using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Orchestration instance ids: deterministic, so a duplicate request maps to the instance already running; short,
/// lowercase and URL-safe, so they can sit in a URL path and a storage partition key.
/// </summary>
public static partial class InstanceIds
{
    public const string Prefix = "dockervm-";

    /// <summary>The provisioning instance id for a validated spec.</summary>
    public static string ForProvisioning(DockerVmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ForProvisioning(spec.ResourceGroup, spec.Name, spec.IdempotencyKey);
    }

    /// <summary>
    /// <c>dockervm-k-&lt;128-bit SHA-256 hex&gt;</c> for an idempotency key (case-sensitive, any caller text kept out of
    /// ids), else <c>dockervm-&lt;name&gt;.&lt;resourcegroup&gt;</c>: VM names have no '.', so the first '.' separates
    /// them unambiguously, and Azure names are case-insensitive, so the id is lower-cased. A resource group with
    /// characters that are not URL-safe (parentheses, non-ASCII letters) is replaced by its hash.
    /// </summary>
    public static string ForProvisioning(string resourceGroup, string name, string? idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceGroup);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!string.IsNullOrEmpty(idempotencyKey))
        {
            return Prefix + "k-" + Hash(idempotencyKey);
        }

        var rg = resourceGroup.ToLowerInvariant();
        if (!UrlSafePattern().IsMatch(rg))
        {
            rg = "h-" + Hash(rg);
        }

        return Prefix + name.ToLowerInvariant() + "." + rg;
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex UrlSafePattern();
}
