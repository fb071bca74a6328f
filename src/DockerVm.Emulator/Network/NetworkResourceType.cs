using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Network;

/// <summary>Shared behaviour of Microsoft.Network types: etags, resourceGuid, "Updating" while in progress.</summary>
internal abstract class NetworkResourceType : ResourceType
{
    public override string Namespace => "Microsoft.Network";

    public override IReadOnlyList<string> ApiVersions => Arm.ApiVersions.Network;

    public override string CreatingState => "Updating";

    /// <summary>Copies location, tags and properties; keeps resourceGuid across updates.</summary>
    protected static JsonObject Begin(PutContext put)
    {
        var body = put.Resource.Body;
        var location = ArmNames.NormalizeLocation((string?)put.Request["location"], put.Resource.Type);
        if (put.Existing is not null && !string.Equals(put.Existing.Location, location, StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("InvalidResourceLocation", $"The resource '{put.Resource.Name}' already exists in location '{put.Existing.Location}' in resource group '{put.Resource.ResourceGroup}'. A resource with the same name cannot be created in location '{location}'. Please select a new resource name.");
        }

        body["location"] = location;
        body["tags"] = put.Request["tags"]?.DeepClone() ?? new JsonObject();
        body["etag"] = ResourceStore.NewEtag();
        var properties = (JsonObject)put.RequestProperties.DeepClone();
        properties.Remove("provisioningState");
        properties["resourceGuid"] = (string?)put.Existing?.Properties["resourceGuid"] ?? Guid.NewGuid().ToString();
        body["properties"] = properties;
        return properties;
    }

    protected static ArmResource? FindById(ArmRuntime runtime, JsonNode? reference) =>
        (string?)reference?["id"] is { } id ? runtime.Store.Find(id) : null;

    protected static IEnumerable<ArmResource> OfType(ArmRuntime runtime, string type) =>
        runtime.Store.Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    protected static AzureErrorException MissingReference(string referenced, string referencing) =>
        AzureErrorException.BadRequest(
            "InvalidResourceReference",
            $"Resource {referenced} referenced by resource {referencing} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.");

    protected static JsonObject Child(string parentId, string segment, string childType, string name, JsonObject properties) => new()
    {
        ["name"] = name,
        ["id"] = $"{parentId}/{segment}/{name}",
        ["etag"] = ResourceStore.NewEtag(),
        ["type"] = childType,
        ["properties"] = properties,
    };

    public override JsonObject Render(ArmRuntime runtime, ArmResource resource, Microsoft.AspNetCore.Http.HttpRequest request)
    {
        var body = base.Render(runtime, resource, request);
        var state = resource.ProvisioningState;
        foreach (var array in new[] { "securityRules", "defaultSecurityRules", "subnets", "ipConfigurations" })
        {
            if (body["properties"]?[array] is JsonArray children)
            {
                foreach (var child in children.OfType<JsonObject>())
                {
                    if (child["properties"] is JsonObject properties)
                    {
                        properties["provisioningState"] = state;
                    }
                }
            }
        }

        return body;
    }
}
