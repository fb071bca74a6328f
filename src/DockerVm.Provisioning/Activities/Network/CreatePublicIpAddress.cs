using System.Text.Json;
using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Network;

public sealed record CreatePublicIpAddressInput(
    string ResourceGroup,
    string Location,
    string Name,
    string DnsLabel,
    IReadOnlyDictionary<string, string> Tags);

/// <param name="Fqdn">As ARM returns it: <c>{label}.{hash}.{location}.cloudapp.azure.com</c> (or the cloud's equivalent).</param>
public sealed record CreatePublicIpAddressOutput(string ResourceId, string IpAddress, string Fqdn);

/// <summary>Standard SKU, static IPv4 with a DNS label: the address and FQDN are known before the server certificate
/// is issued (Basic SKU is retired; Standard is closed inbound unless the NSG allows).</summary>
public sealed class CreatePublicIpAddress(ArmClient arm, IOptions<AzureOptions> azure)
    : TaskActivity<CreatePublicIpAddressInput, CreatePublicIpAddressOutput>
{
    /// <summary>A bare label is unique per region across all of Azure, so the same VM name in two resource groups (or
    /// another customer's) would collide (<c>DnsRecordInUse</c>). With a scope Azure puts a hash of tenant, subscription,
    /// resource group and label between label and region: stable for this group, so a re-provisioned host gets its FQDN
    /// back, and unusable by anyone else (publicIpAddress.json, PublicIPAddressDnsSettings.domainNameLabelScope).</summary>
    public const string DomainNameLabelScope = "ResourceGroupReuse";

    public override async Task<CreatePublicIpAddressOutput> RunAsync(TaskActivityContext context, CreatePublicIpAddressInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = NetworkResources.Id(azure.Value.SubscriptionId, input.ResourceGroup, "publicIPAddresses", input.Name);
        var properties = new
        {
            publicIPAllocationMethod = "Static",
            publicIPAddressVersion = "IPv4",
            dnsSettings = new { domainNameLabel = input.DnsLabel, domainNameLabelScope = DomainNameLabelScope },
        };
        var ip = await NetworkResources.PutAsync(arm, id, input.Location, input.Tags, properties, sku: "Standard");
        using var json = JsonDocument.Parse(ip.Data.Properties.ToString());
        var root = json.RootElement;
        var address = root.TryGetProperty("ipAddress", out var a) ? a.GetString() : null;
        var fqdn = root.TryGetProperty("dnsSettings", out var dns) && dns.TryGetProperty("fqdn", out var f) ? f.GetString() : null;
        if (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(fqdn))
        {
            // A static Standard IP is allocated when its PUT completes; anything else is a service hiccup worth a retry.
            throw new TransientProvisioningException("PublicIpNotAllocated", $"Public IP '{input.Name}' has no address or FQDN yet.");
        }

        return new CreatePublicIpAddressOutput(ip.Id.ToString(), address, fqdn);
    }
}
