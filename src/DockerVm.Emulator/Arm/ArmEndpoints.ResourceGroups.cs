using System.Globalization;
using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>Resource groups: create/update, read, list, and the cascading delete with its Location-polled operation.</summary>
internal static partial class ArmEndpoints
{
    private static JsonObject GroupBody(ArmResource group)
    {
        var body = (JsonObject)group.Body.DeepClone();
        body["properties"] = new JsonObject { ["provisioningState"] = group.Deleting ? "Deleting" : "Succeeded" };
        return body;
    }

    private static Task ListGroups(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Resources);
        EnsureSubscription(rt, Route(ctx, "sub"));
        List<JsonNode> items;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            items = [.. rt.Store.Groups.OrderBy(g => g.Created).Select(g => (JsonNode)GroupBody(g))];
        }

        return ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, rt.Options.PageSize));
    }

    private static async Task ResourceGroup(HttpContext ctx, ArmRuntime rt)
    {
        var version = ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Resources);
        EnsureSubscription(rt, Route(ctx, "sub"));
        var name = Route(ctx, "rg");
        var method = ctx.Request.Method;
        var request = method is "PUT" or "PATCH" ? await ArmHttp.ReadObjectAsync(ctx.Request) : null;

        int status;
        JsonNode? body = null;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            var existing = rt.Store.FindGroup(name);
            switch (method)
            {
                case "PUT":
                    ArmNames.ValidateResourceGroup(name);
                    if (existing?.Deleting == true)
                    {
                        throw AzureErrorException.Conflict("ResourceGroupBeingDeleted", $"The resource group '{name}' is in deprovisioning state and cannot perform this operation.");
                    }

                    var location = ArmNames.NormalizeLocation((string?)request!["location"], "resourceGroups");
                    if (existing is not null && !string.Equals(existing.Location, location, StringComparison.OrdinalIgnoreCase))
                    {
                        throw AzureErrorException.Conflict("InvalidResourceGroupLocation", $"Invalid resource group location '{location}'. The Resource group already exists in location '{existing.Location}'.");
                    }

                    var group = new ArmResource
                    {
                        Id = rt.ResourceGroupId(existing?.Name ?? name),
                        Type = "Microsoft.Resources/resourceGroups",
                        Name = existing?.Name ?? name,
                        SubscriptionId = rt.SubscriptionId,
                        ResourceGroup = existing?.Name ?? name,
                        Created = existing?.Created ?? rt.Now,
                        Body = new JsonObject
                        {
                            ["id"] = rt.ResourceGroupId(existing?.Name ?? name),
                            ["name"] = existing?.Name ?? name,
                            ["type"] = "Microsoft.Resources/resourceGroups",
                            ["location"] = location,
                            ["tags"] = request["tags"]?.DeepClone() ?? new JsonObject(),
                        },
                    };
                    if (request["managedBy"] is JsonNode managedBy)
                    {
                        group.Body["managedBy"] = managedBy.DeepClone();
                    }

                    rt.Store.PutGroup(group);
                    status = existing is null ? 201 : 200;
                    body = GroupBody(group);
                    break;
                case "PATCH":
                    var patched = existing ?? throw AzureErrorException.NotFound("ResourceGroupNotFound", $"Resource group '{name}' could not be found.");
                    if (request!["tags"] is JsonNode tags)
                    {
                        patched.Body["tags"] = tags.DeepClone();
                    }

                    status = 200;
                    body = GroupBody(patched);
                    break;
                case "HEAD":
                    status = existing is null ? 404 : 204;
                    break;
                case "GET":
                    status = 200;
                    body = GroupBody(existing ?? throw AzureErrorException.NotFound("ResourceGroupNotFound", $"Resource group '{name}' could not be found."));
                    break;
                default:
                    var doomed = existing ?? throw AzureErrorException.NotFound("ResourceGroupNotFound", $"Resource group '{name}' could not be found.");
                    var operation = DeleteGroup(ctx, rt, doomed);
                    var url = $"{ArmHttp.BaseUrl(ctx.Request)}subscriptions/{rt.SubscriptionId}/operationresults/{operation.Id}?api-version={version}";
                    ctx.Response.Headers.Location = url;
                    ctx.Response.Headers.RetryAfter = rt.Options.OperationRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    status = 202;
                    break;
            }
        }

        await ArmHttp.WriteJsonAsync(ctx, status, body);
    }

    private static AsyncOperation DeleteGroup(HttpContext ctx, ArmRuntime rt, ArmResource group)
    {
        if (group.Deleting && group.ActiveOperationId is not null && rt.Store.FindOperation(group.ActiveOperationId) is { } running)
        {
            return running;
        }

        group.Deleting = true;
        var forced = rt.Faults.TakeLroFailure(ctx.Request.Method, ctx.Request.Path);
        var now = rt.Now;
        return TrackGroupDeletion(rt, group, now, now + rt.Durations.ResourceGroupDelete, forced);
    }

    private static int DeleteOrder(string type) => type switch
    {
        "Microsoft.Compute/virtualMachines" => 0,
        "Microsoft.Network/networkInterfaces" => 1,
        "Microsoft.Compute/disks" => 2,
        _ => 3,
    };

    private static async Task GetGroupOperationResult(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Resources);
        EnsureSubscription(rt, Route(ctx, "sub"));
        AsyncOperation operation;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            operation = rt.Store.FindOperation(Route(ctx, "id"))
                ?? throw AzureErrorException.NotFound("OperationNotFound", "The operation was not found.");
        }

        await WriteOperationResultAsync(ctx, rt, operation);
    }
}
