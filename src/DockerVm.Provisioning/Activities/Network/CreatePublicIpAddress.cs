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

/// <param name="Operation">The PUT ARM accepted; the orchestration waits for it with <see cref="GetPublicIpAddress"/>,
/// which also reads the address and FQDN.</param>
public sealed record CreatePublicIpAddressOutput(string ResourceId, ArmOperationHandle Operation);

/// <summary>Starts the PUT of a Standard SKU, static IPv4 address with a DNS label: address and FQDN are known once it
/// succeeded, before the server certificate is issued (Basic SKU is retired; Standard is closed inbound unless the NSG
/// allows).</summary>
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
        var operation = await NetworkResources.StartPutAsync(arm, id, input.Location, input.Tags, properties, sku: "Standard");
        return new CreatePublicIpAddressOutput(id, operation);
    }
}
