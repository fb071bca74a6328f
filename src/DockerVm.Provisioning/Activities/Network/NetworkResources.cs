using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Activities.Network;

/// <summary>
/// PUT of a Microsoft.Network resource through the generic resource API (no typed Network SDK is available here).
/// Network PUTs complete in seconds, so waiting for completion inside the activity is fine, unlike VMs and extensions.
/// </summary>
internal static class NetworkResources
{
    public static Task<GenericResource> PutAsync(
        ArmClient arm, string resourceId, string location, IReadOnlyDictionary<string, string> tags, object properties, string? sku = null) =>
        AzureErrors.Call(async () =>
        {
            var data = new GenericResourceData(new AzureLocation(location))
            {
                Properties = BinaryData.FromObjectAsJson(properties),
                Sku = sku is null ? null : new ResourcesSku { Name = sku, Tier = "Regional" },
            };
            foreach (var (key, value) in tags)
            {
                data.Tags[key] = value;
            }

            var operation = await arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Completed, new ResourceIdentifier(resourceId), data);
            return operation.Value;
        });

    public static string Id(string subscriptionId, string resourceGroup, string type, string name) =>
        DockerVmResourceNames.NetworkResourceId(DockerVmResourceNames.ResourceGroupId(subscriptionId, resourceGroup), type, name);
}
