using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Network;

/// <summary>
/// Microsoft.Network/publicIPAddresses: Standard SKU, static, IPv4. The address comes from the loopback pool so the
/// VM's emulated Docker daemon is reachable at it; the FQDN is Azure's (and does not resolve locally):
/// <c>{label}.{location}.cloudapp.azure.com</c>, or <c>{label}.{hash}.{location}.cloudapp.azure.com</c> with a label scope.
/// </summary>
internal sealed partial class PublicIpAddressType : NetworkResourceType
{
    public const string Type = "Microsoft.Network/publicIPAddresses";

    public override string TypeName => "publicIPAddresses";

    public static string DnsZone(string location) =>
        location.StartsWith("china", StringComparison.OrdinalIgnoreCase) ? "cloudapp.chinacloudapi.cn"
        : location.StartsWith("usgov", StringComparison.OrdinalIgnoreCase) ? "cloudapp.usgovcloudapi.net"
        : "cloudapp.azure.com";

    public override void Prepare(PutContext put)
    {
        var properties = Begin(put);
        var rt = put.Runtime;
        var location = put.Resource.Location;
        var skuName = (string?)put.Request["sku"]?["name"] ?? "Standard";
        if (skuName.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("BasicSkuPublicIpAddressNotSupported", "Basic SKU public IP addresses are retired and can no longer be created. Use the Standard SKU.");
        }

        if (!skuName.Equals("Standard", StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("InvalidParameter", $"The value '{skuName}' is not a valid public IP address SKU. Supported values are Standard.", "sku.name");
        }

        put.Resource.Body["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = (string?)put.Request["sku"]?["tier"] ?? "Regional" };
        if (put.Request["zones"] is JsonArray zones)
        {
            put.Resource.Body["zones"] = zones.DeepClone();
        }

        var allocation = (string?)properties["publicIPAllocationMethod"] ?? "Static";
        if (!allocation.Equals("Static", StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest(
                "StandardSkuPublicIPAddressesCannotHaveDynamicAllocation",
                $"Standard sku public IP address {put.Resource.Id} must have a static IP allocation method.");
        }

        var version = (string?)properties["publicIPAddressVersion"] ?? "IPv4";
        if (!version.Equals("IPv4", StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("InvalidParameter", "The emulator serves IPv4 public IP addresses only.", "publicIPAddressVersion");
        }

        properties["publicIPAllocationMethod"] = "Static";
        properties["publicIPAddressVersion"] = "IPv4";
        properties["idleTimeoutInMinutes"] ??= 4;
        properties["ipTags"] ??= new JsonArray();

        if (properties["dnsSettings"] is JsonObject dns && (string?)dns["domainNameLabel"] is { } label)
        {
            if (!DomainNameLabel().IsMatch(label))
            {
                throw AzureErrorException.BadRequest("InvalidDomainNameLabel", $"The domain name label {label} is invalid. It must conform to the following regular expression: ^[a-z][a-z0-9-]{{1,61}}[a-z0-9]$.");
            }

            var fqdn = $"{label}.{ScopeHash(put, dns, label)}{location}.{DnsZone(location)}";
            var clash = OfType(rt, Type).FirstOrDefault(p => !string.Equals(p.Id, put.Resource.Id, StringComparison.OrdinalIgnoreCase)
                && string.Equals((string?)p.Properties["dnsSettings"]?["fqdn"], fqdn, StringComparison.OrdinalIgnoreCase));
            if (clash is not null)
            {
                throw AzureErrorException.BadRequest("DnsRecordInUse", $"DNS record {fqdn} is already used by another public IP.");
            }

            dns["fqdn"] = fqdn;
        }

        if (put.Existing?.Properties["ipConfiguration"] is JsonNode ipConfiguration)
        {
            properties["ipConfiguration"] = ipConfiguration.DeepClone();
        }
        else
        {
            properties.Remove("ipConfiguration");
        }

        // Allocate last, so a rejected request never leaks an address.
        properties["ipAddress"] = (string?)put.Existing?.Properties["ipAddress"] ?? rt.IpPool.Allocate();
    }

    public override void EnsureDeletable(ArmRuntime runtime, ArmResource resource)
    {
        if ((string?)resource.Properties["ipConfiguration"]?["id"] is { } user)
        {
            throw AzureErrorException.Conflict(
                "PublicIPAddressCannotBeDeleted",
                $"Public IP address {resource.Id} can not be deleted since it is still allocated to resource {user}. In order to delete the public IP, disassociate/detach the Public IP address from the resource. To learn how to do this, see aka.ms/deletepublicip.");
        }
    }

    public override void Deleted(ArmRuntime runtime, ArmResource resource) =>
        runtime.IpPool.Release((string?)resource.Properties["ipAddress"]);

    /// <summary>
    /// With <c>domainNameLabelScope</c> Azure puts a hash between label and region, "constant within that scope"
    /// (publicIpAddress.json, PublicIPAddressDnsSettings; the public preview announcement of 2024-03-21), so the same
    /// label in another scope gets another FQDN. Modelled as 16 lowercase characters (Azure's length is not documented)
    /// of a SHA-256 over the scope's ids and the label; <c>NoReuse</c> hashes a fresh GUID, kept across updates.
    /// Empty (no hash) without a scope.
    /// </summary>
    private static string ScopeHash(PutContext put, JsonObject dns, string label)
    {
        var scope = (string?)dns["domainNameLabelScope"];
        if (string.IsNullOrEmpty(scope))
        {
            return string.Empty;
        }

        var canonical = Scopes.FirstOrDefault(s => s.Equals(scope, StringComparison.OrdinalIgnoreCase))
            ?? throw AzureErrorException.BadRequest("InvalidRequestFormat", $"Cannot parse the request: the value '{scope}' of domainNameLabelScope is not one of {string.Join(", ", Scopes)}.");
        dns["domainNameLabelScope"] = canonical;
        var existingFqdn = (string?)put.Existing?.Properties["dnsSettings"]?["fqdn"];
        if (canonical == "NoReuse" && existingFqdn?.Split('.') is [var oldLabel, var oldHash, ..] && oldLabel == label
            && (string?)put.Existing!.Properties["dnsSettings"]?["domainNameLabelScope"] == canonical)
        {
            return oldHash + ".";
        }

        var options = put.Runtime.Options;
        var seed = canonical switch
        {
            "TenantReuse" => $"{options.TenantId}",
            "SubscriptionReuse" => $"{options.TenantId}/{options.SubscriptionId}",
            "ResourceGroupReuse" => $"{options.TenantId}/{options.SubscriptionId}/{put.Resource.ResourceGroup.ToUpperInvariant()}",
            _ => Guid.NewGuid().ToString(),
        };
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{seed}|{label}"));
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Concat(digest.Take(16).Select(b => Alphabet[b % Alphabet.Length])) + ".";
    }

    private static readonly string[] Scopes = ["TenantReuse", "SubscriptionReuse", "ResourceGroupReuse", "NoReuse"];

    [GeneratedRegex("^[a-z][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex DomainNameLabel();
}
