using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Activities.Network;

/// <summary>
/// PUT of a Microsoft.Network resource through the generic resource API (no typed Network SDK is available here),
/// returning as soon as ARM accepted it (<see cref="WaitUntil.Started"/>): network PUTs take seconds, and an activity
/// waiting for them is billed for every one of those seconds. The orchestration waits on durable timers instead.
/// </summary>
internal static class NetworkResources
{
    public static Task<ArmOperationHandle> StartPutAsync(
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

            var operation = await arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, new ResourceIdentifier(resourceId), data);
            return ArmOperationHeaders.Handle(resourceId, operation.GetRawResponse());
        });

    public static string Id(string subscriptionId, string resourceGroup, string type, string name) =>
        DockerVmResourceNames.NetworkResourceId(DockerVmResourceNames.ResourceGroupId(subscriptionId, resourceGroup), type, name);
}
