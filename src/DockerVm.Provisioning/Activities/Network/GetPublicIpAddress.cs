using System.Text.Json;
using Azure.Core;
using Azure.ResourceManager;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Network;

public sealed record GetPublicIpAddressInput(string ResourceId);

/// <param name="State">The address's provisioningState; Succeeded only with the address and FQDN allocated.</param>
/// <param name="IpAddress">Set once Succeeded.</param>
/// <param name="Fqdn">As ARM returns it: <c>{label}.{hash}.{location}.cloudapp.azure.com</c> (or the cloud's equivalent).</param>
public sealed record GetPublicIpAddressOutput(ArmOperationState State, string? IpAddress, string? Fqdn);

/// <summary>One check of the public IP's creation, by reading the address itself: its provisioningState, and once that
/// is Succeeded the address and FQDN the certificates need, in the same GET (the operation's status URL would need a
/// second read for them).</summary>
public sealed class GetPublicIpAddress(ArmClient arm) : TaskActivity<GetPublicIpAddressInput, GetPublicIpAddressOutput>
{
    public override Task<GetPublicIpAddressOutput> RunAsync(TaskActivityContext context, GetPublicIpAddressInput input) =>
        AzureErrors.Call(async () =>
        {
            ArgumentNullException.ThrowIfNull(input);
            var ip = await arm.GetGenericResource(new ResourceIdentifier(input.ResourceId)).GetAsync();
            using var json = JsonDocument.Parse(ip.Value.Data.Properties.ToMemory());
            var root = json.RootElement;
            var state = root.TryGetProperty("provisioningState", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : ArmProvisioningStates.Succeeded;
            var address = root.TryGetProperty("ipAddress", out var a) ? a.GetString() : null;
            var fqdn = root.TryGetProperty("dnsSettings", out var dns) && dns.TryGetProperty("fqdn", out var f) ? f.GetString() : null;
            if (ArmProvisioningStates.IsSucceeded(state) && (string.IsNullOrEmpty(address) || string.IsNullOrEmpty(fqdn)))
            {
                // A static Standard IP is allocated when its PUT completes; anything else is a service hiccup worth a retry.
                throw new TransientProvisioningException("PublicIpNotAllocated", $"Public IP '{input.ResourceId}' has no address or FQDN yet.");
            }

            return new GetPublicIpAddressOutput(new ArmOperationState(state, null, null), address, fqdn);
        });
}
