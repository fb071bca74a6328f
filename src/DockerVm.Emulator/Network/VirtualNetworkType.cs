using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Network;

/// <summary>Microsoft.Network/virtualNetworks with inline subnets (address ranges validated, in-use subnets protected).</summary>
internal sealed class VirtualNetworkType : NetworkResourceType
{
    public const string Type = "Microsoft.Network/virtualNetworks";

    public override string TypeName => "virtualNetworks";

    public override IReadOnlyList<string> WritableChildren => ["subnets"];

    public override void Prepare(PutContext put)
    {
        var properties = Begin(put);
        var id = put.Resource.Id;
        var prefixes = new List<Cidr>();
        foreach (var prefix in properties["addressSpace"]?["addressPrefixes"] as JsonArray ?? [])
        {
            var text = (string?)prefix ?? string.Empty;
            if (!Cidr.TryParse(text, out var cidr))
            {
                throw AzureErrorException.BadRequest("InvalidAddressPrefixFormat", $"Address prefix {text} of resource {id} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.");
            }

            prefixes.Add(cidr);
        }

        if (prefixes.Count == 0)
        {
            throw AzureErrorException.BadRequest("InvalidRequestFormat", "Cannot parse the request: addressSpace.addressPrefixes must contain at least one prefix.");
        }

        var subnets = new JsonArray();
        var seen = new List<(string Name, Cidr Range)>();
        foreach (var node in properties["subnets"] as JsonArray ?? [])
        {
            var name = (string?)node?["name"];
            if (string.IsNullOrEmpty(name))
            {
                throw AzureErrorException.BadRequest("InvalidRequestFormat", "Cannot parse the request: subnet name is missing.");
            }

            var subnetProperties = (JsonObject)(node!["properties"]?.DeepClone() ?? new JsonObject());
            var text = (string?)subnetProperties["addressPrefix"] ?? (string?)(subnetProperties["addressPrefixes"] as JsonArray)?.FirstOrDefault() ?? string.Empty;
            if (!Cidr.TryParse(text, out var range))
            {
                throw AzureErrorException.BadRequest("InvalidAddressPrefixFormat", $"Address prefix {text} of resource {id}/subnets/{name} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.");
            }

            if (!prefixes.Any(p => p.Contains(range)))
            {
                throw AzureErrorException.BadRequest("NetcfgSubnetRangeOutsideVnet", $"Subnet '{name}' is not valid because its IP address range is outside the IP address range of virtual network '{put.Resource.Name}'.");
            }

            if (seen.FirstOrDefault(s => s.Range.Overlaps(range)) is { Name: not null } overlap)
            {
                throw AzureErrorException.BadRequest("NetcfgSubnetRangesOverlap", $"Subnet '{name}' is not valid because its IP address range overlaps with that of an existing subnet '{overlap.Name}' in virtual network '{put.Resource.Name}'.");
            }

            seen.Add((name, range));
            subnetProperties.Remove("provisioningState");
            subnetProperties.Remove("ipConfigurations");
            subnets.Add(Child(id, "subnets", $"{Type}/subnets", name, subnetProperties));
        }

        if (put.Existing is not null)
        {
            foreach (var user in NicsInVnet(put.Runtime, id))
            {
                if (!seen.Any(s => string.Equals(s.Name, user.Subnet, StringComparison.OrdinalIgnoreCase)))
                {
                    throw AzureErrorException.BadRequest("InUseSubnetCannotBeDeleted", $"Subnet {user.Subnet} is in use by {user.IpConfigurationId} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.");
                }
            }
        }

        properties["subnets"] = subnets;
        properties["virtualNetworkPeerings"] ??= new JsonArray();
        properties["enableDdosProtection"] ??= false;
    }

    public override void EnsureDeletable(ArmRuntime runtime, ArmResource resource)
    {
        if (NicsInVnet(runtime, resource.Id).FirstOrDefault() is { Subnet: not null } user)
        {
            throw AzureErrorException.Conflict("InUseSubnetCannotBeDeleted", $"Subnet {user.Subnet} is in use by {user.IpConfigurationId} and cannot be deleted. In order to delete the subnet, delete all the resources within the subnet. See aka.ms/deletesubnet.");
        }
    }

    public override JsonObject Render(ArmRuntime runtime, ArmResource resource, Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var body = base.Render(runtime, resource, request);
        var users = NicsInVnet(runtime, resource.Id).ToList();
        foreach (var subnet in (body["properties"]?["subnets"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = (string?)subnet["name"];
            var configurations = users.Where(u => string.Equals(u.Subnet, name, StringComparison.OrdinalIgnoreCase))
                .Select(u => (JsonNode)new JsonObject { ["id"] = u.IpConfigurationId }).ToArray();
            if (configurations.Length > 0)
            {
                subnet["properties"]!["ipConfigurations"] = new JsonArray(configurations);
            }
        }

        return body;
    }

    public override JsonNode? Action(ArmRuntime runtime, ArmResource resource, string method, string action)
    {
        if (method == "GET" && action.Equals("subnets", StringComparison.OrdinalIgnoreCase))
        {
            return new JsonObject { ["value"] = Render(runtime, resource, new Microsoft.AspNetCore.Http.DefaultHttpContext().Request)["properties"]!["subnets"]!.DeepClone() };
        }

        return base.Action(runtime, resource, method, action);
    }

    /// <summary>Finds a subnet (rendered, with ipConfigurations) by its full id.</summary>
    public static JsonObject? FindSubnet(ArmRuntime runtime, string subnetId)
    {
        var marker = subnetId.LastIndexOf("/subnets/", StringComparison.OrdinalIgnoreCase);
        if (marker < 0 || runtime.Store.Find(subnetId[..marker]) is not { } vnet)
        {
            return null;
        }

        var name = subnetId[(marker + "/subnets/".Length)..];
        return (vnet.Properties["subnets"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(s => string.Equals((string?)s["name"], name, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<(string? Subnet, string IpConfigurationId)> NicsInVnet(ArmRuntime runtime, string vnetId)
    {
        var prefix = vnetId + "/subnets/";
        foreach (var nic in OfType(runtime, NetworkInterfaceType.Type))
        {
            foreach (var configuration in (nic.Properties["ipConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var subnetId = (string?)configuration["properties"]?["subnet"]?["id"];
                if (subnetId is not null && subnetId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    yield return (subnetId[prefix.Length..], (string?)configuration["id"] ?? nic.Id);
                }
            }
        }
    }
}
