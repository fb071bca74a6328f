using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// Orchestration instance ids, derived from the target Docker host and nothing else, so one host owns one workflow
/// whatever key or door a request came by; short, lowercase and URL-safe, so they can sit in a URL path and a storage
/// partition key. The subscription is the deployment's one <c>Azure:SubscriptionId</c>, so resource group + name
/// identify the target within a task hub.
/// </summary>
public static partial class InstanceIds
{
    public const string Prefix = "dockervm-";

    /// <summary>The provisioning instance id for a validated spec.</summary>
    public static string ForProvisioning(DockerVmSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return ForTarget(spec.ResourceGroup, spec.Name);
    }

    /// <summary>
    /// <c>dockervm-&lt;name&gt;.&lt;resourcegroup&gt;</c>: VM names have no '.', so the first '.' separates them
    /// unambiguously, and Azure names are case-insensitive, so the id is lower-cased. A resource group with characters
    /// that are not URL-safe (parentheses, non-ASCII letters) is replaced by its hash.
    /// </summary>
    public static string ForTarget(string resourceGroup, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceGroup);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var rg = resourceGroup.ToLowerInvariant();
        if (!UrlSafePattern().IsMatch(rg))
        {
            rg = "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rg)))[..32];
        }

        return Prefix + name.ToLowerInvariant() + "." + rg;
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex UrlSafePattern();
}
