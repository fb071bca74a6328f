using Azure;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Network;

public sealed record EnsureResourceGroupInput(string ResourceGroup, string Location, IReadOnlyDictionary<string, string> Tags);

/// <param name="Created">False when the group already existed (it is then left exactly as it was).</param>
public sealed record EnsureResourceGroupOutput(string ResourceGroupId, bool Created);

/// <summary>Creates the resource group if missing; an existing group (and its tags, location) is left alone.</summary>
public sealed class EnsureResourceGroup(ArmClient arm, IOptions<AzureOptions> azure)
    : TaskActivity<EnsureResourceGroupInput, EnsureResourceGroupOutput>
{
    public override Task<EnsureResourceGroupOutput> RunAsync(TaskActivityContext context, EnsureResourceGroupInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var subscription = arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(azure.Value.SubscriptionId));
            var groups = subscription.GetResourceGroups();
            if ((await groups.ExistsAsync(input.ResourceGroup)).Value)
            {
                return new EnsureResourceGroupOutput(
                    DockerVmResourceNames.ResourceGroupId(azure.Value.SubscriptionId, input.ResourceGroup).ToString(), Created: false);
            }

            var data = new ResourceGroupData(input.Location);
            foreach (var (key, value) in input.Tags)
            {
                data.Tags[key] = value;
            }

            var created = await groups.CreateOrUpdateAsync(WaitUntil.Completed, input.ResourceGroup, data);
            return new EnsureResourceGroupOutput(created.Value.Id.ToString(), Created: true);
        });
}
