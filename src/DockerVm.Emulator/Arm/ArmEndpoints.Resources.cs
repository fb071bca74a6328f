using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>Typed resources: PUT/PATCH/GET/HEAD/DELETE as long-running operations, lists, child resources and actions.</summary>
internal static partial class ArmEndpoints
{
    private static async Task ListResources(HttpContext ctx, ArmRuntime rt, bool groupScoped)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Resources);
        EnsureSubscription(rt, Route(ctx, "sub"));
        var matches = ResourceFilter.Parse(ctx.Request.Query["$filter"]);
        List<JsonNode> items;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            var resources = ResourcesInScope(ctx, rt, groupScoped);

            items = [.. resources.Where(r => r.ParentId is null).Where(matches).OrderBy(r => r.Created).Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["name"] = r.Name,
                ["type"] = r.Type,
                ["location"] = r.Location,
                ["tags"] = r.Body["tags"]?.DeepClone(),
            })];
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, rt.Options.PageSize));
    }

    private static ResourceType ResolveType(ArmRuntime rt, HttpRequest request, string ns, string typeName)
    {
        var type = rt.FindType($"{ns}/{typeName}");
        if (type is not null)
        {
            return type;
        }

        if (!rt.Namespaces.Contains(ns, StringComparer.OrdinalIgnoreCase))
        {
            throw AzureErrorException.BadRequest("InvalidResourceNamespace", $"The resource namespace '{ns}' is invalid.");
        }

        throw AzureErrorException.BadRequest(
            "InvalidResourceType",
            $"The resource type '{typeName}' could not be found in the namespace '{ns}' for api version '{ArmHttp.ApiVersion(request)}'.");
    }

    /// <summary>The subscription's resources, or one resource group's (which must exist); call under the store's lock.</summary>
    private static IEnumerable<ArmResource> ResourcesInScope(HttpContext ctx, ArmRuntime rt, bool groupScoped) =>
        groupScoped ? rt.Store.InGroup(EnsureGroup(rt, Route(ctx, "rg")).Name) : rt.Store.Resources;

    private static async Task ListByType(HttpContext ctx, ArmRuntime rt, bool groupScoped)
    {
        EnsureSubscription(rt, Route(ctx, "sub"));
        var type = ResolveType(rt, ctx.Request, Route(ctx, "ns"), Route(ctx, "type"));
        ArmHttp.RequireApiVersion(ctx.Request, type);
        List<JsonNode> items;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            var resources = ResourcesInScope(ctx, rt, groupScoped);

            items = [.. resources
                .Where(r => string.Equals(r.Type, type.FullType, StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => r.Created)
                .Select(r => (JsonNode)type.Render(rt, r, ctx.Request))];
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, rt.Options.PageSize));
    }

    private static async Task ChildListOrAction(HttpContext ctx, ArmRuntime rt)
    {
        EnsureSubscription(rt, Route(ctx, "sub"));
        var parentType = ResolveType(rt, ctx.Request, Route(ctx, "ns"), Route(ctx, "type"));
        var childSegment = Route(ctx, "childType");
        var childType = rt.FindType($"{parentType.FullType}/{childSegment}");
        var parentId = $"{rt.ResourceGroupId(Route(ctx, "rg"))}/providers/{parentType.Namespace}/{parentType.TypeName}/{Route(ctx, "name")}";
        ArmHttp.RequireApiVersion(ctx.Request, childType ?? parentType);
        JsonNode? body;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            EnsureGroup(rt, Route(ctx, "rg"));
            var parent = rt.Store.Find(parentId) ?? throw NotFound(parentType, Route(ctx, "name"), Route(ctx, "rg"));
            if (childType is not null && ctx.Request.Method == "GET")
            {
                var children = rt.Store.ChildrenOf(parent.Id)
                    .Where(c => string.Equals(c.Type, childType.FullType, StringComparison.OrdinalIgnoreCase))
                    .OrderBy(c => c.Created)
                    .Select(c => (JsonNode)childType.Render(rt, c, ctx.Request));
                body = ArmHttp.Page(ctx.Request, children, rt.Options.PageSize);
            }
            else
            {
                body = parentType.Action(rt, parent, ctx.Request.Method, childSegment);
            }
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static AzureErrorException NotFound(ResourceType type, string name, string resourceGroup) =>
        AzureErrorException.NotFound(
            "ResourceNotFound",
            $"The Resource '{type.FullType}/{name}' under resource group '{resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");

    private static async Task Resource(HttpContext ctx, ArmRuntime rt, bool child)
    {
        EnsureSubscription(rt, Route(ctx, "sub"));
        var resourceGroup = Route(ctx, "rg");
        var topType = ResolveType(rt, ctx.Request, Route(ctx, "ns"), Route(ctx, "type"));
        var name = Route(ctx, "name");
        var topId = $"{rt.ResourceGroupId(resourceGroup)}/providers/{topType.Namespace}/{topType.TypeName}/{name}";
        var type = topType;
        var id = topId;
        string? childName = null;
        if (child)
        {
            var childSegment = Route(ctx, "childType");
            childName = Route(ctx, "childName");
            var childType = rt.FindType($"{topType.FullType}/{childSegment}");
            if (childType is null)
            {
                await EmbeddedChild(ctx, rt, topType, topId, childSegment, childName);
                return;
            }

            type = childType;
            id = $"{topId}/{type.TypeName.Split('/')[1]}/{childName}";
        }

        var version = ArmHttp.RequireApiVersion(ctx.Request, type);
        var method = ctx.Request.Method;
        var request = method is "PUT" or "PATCH" ? await ArmHttp.ReadObjectAsync(ctx.Request) : null;
        int status;
        JsonNode? body = null;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            var group = EnsureGroup(rt, resourceGroup);
            ArmResource? parent = null;
            if (child)
            {
                parent = rt.Store.Find(topId);
                if (parent is null || parent.Deleting)
                {
                    if (method is "GET" or "HEAD" or "DELETE")
                    {
                        throw NotFound(type, $"{name}/{childName}", group.Name);
                    }

                    throw AzureErrorException.NotFound("ParentResourceNotFound", $"Can not perform requested operation on nested resource. Parent resource '{name}' not found.");
                }
            }

            var existing = rt.Store.Find(id);
            switch (method)
            {
                case "GET":
                    status = 200;
                    body = type.Render(rt, existing ?? throw NotFound(type, child ? $"{name}/{childName}" : name, group.Name), ctx.Request);
                    break;
                case "HEAD":
                    status = existing is null ? 404 : 204;
                    break;
                case "PUT":
                case "PATCH":
                    if (method == "PATCH")
                    {
                        request = Merge(existing ?? throw NotFound(type, child ? $"{name}/{childName}" : name, group.Name), request!);
                    }

                    (status, body) = Put(ctx, rt, type, id, child ? childName! : name, group, parent, existing, request!, version);
                    break;
                default:
                    if (existing is null)
                    {
                        status = 204;
                        break;
                    }

                    var operation = Delete(ctx, rt, type, existing);
                    SetOperationHeaders(ctx, rt, type, operation, version, includeLocation: true);
                    status = 202;
                    break;
            }
        }

        await ArmHttp.WriteJsonAsync(ctx, status, body);
    }

    /// <summary>
    /// Children kept inside their parent's document (subnets, security rules, ip configurations). Writable ones
    /// (<see cref="ResourceType.WritableChildren"/>) are PUT/DELETEd by updating the parent, as ARM does.
    /// </summary>
    private static async Task EmbeddedChild(HttpContext ctx, ArmRuntime rt, ResourceType parentType, string parentId, string segment, string name)
    {
        var version = ArmHttp.RequireApiVersion(ctx.Request, parentType);
        var method = ctx.Request.Method;
        var writable = parentType.WritableChildren.Contains(segment, StringComparer.OrdinalIgnoreCase);
        if (method != "GET" && !(writable && method is "PUT" or "DELETE"))
        {
            throw new AzureErrorException(405, "MethodNotAllowed", $"'{segment}' of {parentType.FullType} are read-only here; update the parent resource instead.");
        }

        var request = method == "PUT" ? await ArmHttp.ReadObjectAsync(ctx.Request) : null;
        int status;
        JsonNode? body = null;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            var group = EnsureGroup(rt, Route(ctx, "rg"));
            var parent = rt.Store.Find(parentId) ?? throw NotFound(parentType, Route(ctx, "name"), group.Name);
            var children = parentType.Render(rt, parent, ctx.Request)["properties"]?[segment] as JsonArray ?? [];
            var current = children.OfType<JsonObject>().FirstOrDefault(c => string.Equals((string?)c["name"], name, StringComparison.OrdinalIgnoreCase));
            if (method == "GET")
            {
                status = 200;
                body = current?.DeepClone() ?? throw AzureErrorException.NotFound("NotFound", $"Resource {parentId}/{segment}/{name} not found.");
            }
            else if (method == "DELETE" && current is null)
            {
                status = 204;
            }
            else
            {
                var kept = children.OfType<JsonObject>().Where(c => !ReferenceEquals(c, current)).Select(c => (JsonNode)c.DeepClone());
                var updated = new JsonArray([.. kept]);
                if (request is not null)
                {
                    updated.Add(new JsonObject { ["name"] = (string?)current?["name"] ?? name, ["properties"] = request["properties"]?.DeepClone() ?? new JsonObject() });
                }

                var parentRequest = Merge(parent, []);
                parentRequest["properties"]![segment] = updated;
                var (_, parentBody) = Put(ctx, rt, parentType, parent.Id, parent.Name, group, null, parent, parentRequest, version);
                if (request is null)
                {
                    ctx.Response.Headers.Location = ctx.Response.Headers["Azure-AsyncOperation"].ToString().Replace("/operations/", "/operationResults/", StringComparison.Ordinal);
                    status = 202;
                }
                else
                {
                    status = current is null ? 201 : 200;
                    body = (parentBody["properties"]?[segment] as JsonArray ?? []).OfType<JsonObject>()
                        .First(c => string.Equals((string?)c["name"], name, StringComparison.OrdinalIgnoreCase)).DeepClone();
                }
            }
        }

        await ArmHttp.WriteJsonAsync(ctx, status, body);
    }

    private static JsonObject Merge(ArmResource existing, JsonObject patch)
    {
        var merged = (JsonObject)existing.Body.DeepClone();
        if (existing.ProtectedSettings is not null)
        {
            merged["properties"]!["protectedSettings"] = existing.ProtectedSettings.DeepClone();
        }

        foreach (var (key, value) in patch)
        {
            if (key == "properties" && value is JsonObject properties && merged["properties"] is JsonObject target)
            {
                foreach (var (pk, pv) in properties)
                {
                    target[pk] = pv?.DeepClone();
                }
            }
            else
            {
                merged[key] = value?.DeepClone();
            }
        }

        return merged;
    }

    private static (int Status, JsonNode Body) Put(
        HttpContext ctx, ArmRuntime rt, ResourceType type, string id, string name, ArmResource group,
        ArmResource? parent, ArmResource? existing, JsonObject request, string version)
    {
        if (existing?.Deleting == true)
        {
            throw AzureErrorException.Conflict("OperationNotAllowed", $"Operation 'PUT' is not allowed on resource '{name}' since it is marked for deletion.");
        }

        if (existing is null)
        {
            if (!type.CanCreate)
            {
                throw AzureErrorException.BadRequest("OperationNotAllowed", $"Resources of type '{type.FullType}' are created by the platform and cannot be created directly.");
            }

            type.ValidateName(name);
        }

        var canonicalName = existing?.Name ?? name;
        var resource = new ArmResource
        {
            Id = existing?.Id ?? id,
            Type = type.FullType,
            Name = canonicalName,
            SubscriptionId = rt.SubscriptionId,
            ResourceGroup = group.Name,
            ParentId = parent?.Id,
            Created = existing?.Created ?? rt.Now,
            Body = new JsonObject
            {
                ["id"] = existing?.Id ?? id,
                ["name"] = canonicalName,
                ["type"] = type.FullType,
            },
        };
        var put = new PutContext { Runtime = rt, Request = request, Resource = resource, Existing = existing, Parent = parent };
        type.Prepare(put);
        resource.ProvisioningState = existing is null ? type.CreatingState : "Updating";
        rt.Store.Put(resource);

        var forced = rt.Faults.TakeLroFailure(ctx.Request.Method, ctx.Request.Path);
        var now = rt.Now;
        var operation = TrackProvisioning(rt, type, resource, now, now + type.CreateDuration(rt, resource), forced);
        SetOperationHeaders(ctx, rt, type, operation, version, includeLocation: false);
        return (existing is null ? 201 : 200, type.Render(rt, resource, ctx.Request));
    }

    private static AsyncOperation Delete(HttpContext ctx, ArmRuntime rt, ResourceType type, ArmResource resource)
    {
        if (resource.Deleting && resource.ActiveOperationId is not null && rt.Store.FindOperation(resource.ActiveOperationId) is { } running)
        {
            return running;
        }

        type.EnsureDeletable(rt, resource);
        rt.Store.Cancel(resource.ActiveOperationId);
        var previousState = resource.ProvisioningState;
        resource.Deleting = true;
        resource.ProvisioningState = "Deleting";
        var forced = rt.Faults.TakeLroFailure(ctx.Request.Method, ctx.Request.Path);
        var now = rt.Now;
        return TrackDeletion(rt, type, resource, previousState, now, now + type.DeleteDuration(rt.Durations), forced);
    }
}
