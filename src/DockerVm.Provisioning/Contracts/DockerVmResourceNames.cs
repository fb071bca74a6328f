using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Azure.Core;
using Azure.ResourceManager.Resources;

namespace DockerVm.Provisioning.Contracts;

/// <summary>
/// Names of everything one Docker host owns, derived from its VM name and resource group, so that every activity
/// (and a deprovisioning of an instance whose output was lost) agrees on them without passing them around.
/// Serialized (as activity input) as just <see cref="ResourceGroup"/> and <see cref="VmName"/>.
/// </summary>
public sealed record DockerVmResourceNames(string ResourceGroup, string VmName)
{
    [JsonIgnore]
    public string NetworkSecurityGroup => $"{VmName}-nsg";

    [JsonIgnore]
    public string PublicIpAddress => $"{VmName}-ip";

    [JsonIgnore]
    public string VirtualNetwork => $"{VmName}-vnet";

    public const string Subnet = "default";

    [JsonIgnore]
    public string NetworkInterface => $"{VmName}-nic";

    [JsonIgnore]
    public string OsDisk => $"{VmName}-osdisk";

    /// <summary>Extension name on the VM, for both installers.</summary>
    public const string DockerExtension = "docker";

    /// <summary>DNS label of the public IP (the VM name; validated as a DNS label). Azure makes the FQDN unique with a
    /// hash scoped to the resource group (<c>CreatePublicIpAddress.DomainNameLabelScope</c>); the FQDN is read back from ARM.</summary>
    [JsonIgnore]
    public string DnsLabel => VmName.ToLowerInvariant();

    [JsonIgnore]
    public string CaCertificateSecret => SecretName("ca-cert");

    [JsonIgnore]
    public string ServerCertificateSecret => SecretName("server-cert");

    [JsonIgnore]
    public string ServerKeySecret => SecretName("server-key");

    [JsonIgnore]
    public string ClientCertificateSecret => SecretName("client-cert");

    [JsonIgnore]
    public string ClientKeySecret => SecretName("client-key");

    [JsonIgnore]
    public IReadOnlyList<string> AllSecrets =>
        [CaCertificateSecret, ServerCertificateSecret, ServerKeySecret, ClientCertificateSecret, ClientKeySecret];

    /// <summary>Key Vault secret names are vault-wide: a short hash of the resource group keeps two VMs with the same
    /// name in different groups apart (<c>{vm}-{hash8}-docker-{kind}</c>, at most 64+1+8+19 chars, limit 127).</summary>
    private string SecretName(string kind)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ResourceGroup.ToUpperInvariant())))[..8];
        return $"{VmName.ToLowerInvariant()}-{hash}-docker-{kind}";
    }

    /// <summary>ARM ids this workflow creates, in creation order (deletion goes in reverse).</summary>
    public IReadOnlyList<string> AllResourceIds(string subscriptionId)
    {
        var rg = ResourceGroupId(subscriptionId, ResourceGroup);
        return
        [
            NetworkResourceId(rg, "networkSecurityGroups", NetworkSecurityGroup),
            NetworkResourceId(rg, "publicIPAddresses", PublicIpAddress),
            NetworkResourceId(rg, "virtualNetworks", VirtualNetwork),
            NetworkResourceId(rg, "networkInterfaces", NetworkInterface),
            VirtualMachineId(rg).ToString(),
        ];
    }

    /// <summary>A resource group's ARM id, spelt as ARM returns it. (Azure.ResourceManager 1.7.0's
    /// <c>ResourceGroupResource.CreateResourceIdentifier</c> lower-cases the <c>resourceGroups</c> segment, so ids built
    /// from it would not compare equal to the ids ARM hands back.)</summary>
    public static ResourceIdentifier ResourceGroupId(string subscriptionId, string resourceGroup) =>
        SubscriptionResource.CreateResourceIdentifier(subscriptionId).AppendChildResource("resourceGroups", resourceGroup);

    /// <summary>The VM's ARM id in the resource group <paramref name="resourceGroupId"/>.</summary>
    public ResourceIdentifier VirtualMachineId(ResourceIdentifier resourceGroupId)
    {
        ArgumentNullException.ThrowIfNull(resourceGroupId);
        return resourceGroupId.AppendProviderResource("Microsoft.Compute", "virtualMachines", VmName);
    }

    /// <summary>ARM id of a Microsoft.Network resource of this host.</summary>
    public static string NetworkResourceId(ResourceIdentifier resourceGroupId, string type, string name)
    {
        ArgumentNullException.ThrowIfNull(resourceGroupId);
        return resourceGroupId.AppendProviderResource("Microsoft.Network", type, name).ToString();
    }
}
