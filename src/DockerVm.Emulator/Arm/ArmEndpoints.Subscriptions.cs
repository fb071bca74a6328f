using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>Subscriptions, tenants, locations and provider metadata (what the generic resource client reads to pick api-versions).</summary>
internal static partial class ArmEndpoints
{
    private static JsonObject SubscriptionBody(ArmRuntime rt) => new()
    {
        ["id"] = $"/subscriptions/{rt.SubscriptionId}",
        ["authorizationSource"] = "RoleBased",
        ["subscriptionId"] = rt.SubscriptionId,
        ["tenantId"] = rt.Options.TenantId,
        ["displayName"] = "DockerVm Emulator",
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01",
            ["quotaId"] = "PayAsYouGo_2014-09-01",
            ["spendingLimit"] = "Off",
        },
    };

    private static Task ListSubscriptions(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Subscriptions);
        return ArmHttp.WriteJsonAsync(ctx, 200, new JsonObject { ["value"] = new JsonArray(SubscriptionBody(rt)) });
    }

    private static Task ListTenants(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Subscriptions);
        var tenant = new JsonObject
        {
            ["id"] = $"/tenants/{rt.Options.TenantId}",
            ["tenantId"] = rt.Options.TenantId,
            ["tenantCategory"] = "Home",
            ["displayName"] = "DockerVm Emulator",
        };
        return ArmHttp.WriteJsonAsync(ctx, 200, new JsonObject { ["value"] = new JsonArray(tenant) });
    }

    private static Task GetSubscription(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Subscriptions);
        EnsureSubscription(rt, Route(ctx, "sub"));
        return ArmHttp.WriteJsonAsync(ctx, 200, SubscriptionBody(rt));
    }

    private static Task ListLocations(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Subscriptions);
        EnsureSubscription(rt, Route(ctx, "sub"));
        var items = ArmNames.Locations.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = $"/subscriptions/{rt.SubscriptionId}/locations/{l}",
            ["name"] = l,
            ["displayName"] = l,
            ["regionalDisplayName"] = l,
        });
        return ArmHttp.WriteJsonAsync(ctx, 200, new JsonObject { ["value"] = new JsonArray([.. items]) });
    }

    private static JsonObject ProviderBody(ArmRuntime rt, string ns, bool subscriptionScoped)
    {
        var types = rt.Types.Where(t => string.Equals(t.Namespace, ns, StringComparison.OrdinalIgnoreCase)).ToList();
        var resourceTypes = new JsonArray();
        foreach (var type in types)
        {
            foreach (var typeName in type.WritableChildren.Select(c => $"{type.TypeName}/{c}").Prepend(type.TypeName))
            {
                resourceTypes.Add(new JsonObject
                {
                    ["resourceType"] = typeName,
                    ["locations"] = new JsonArray([.. ArmNames.Locations.Select(l => (JsonNode)l)]),
                    ["apiVersions"] = new JsonArray([.. type.ApiVersions.Select(v => (JsonNode)v)]),
                    ["capabilities"] = "None",
                });
            }
        }

        if (types.Count > 0)
        {
            foreach (var operationType in new[] { "locations", "locations/operations", "locations/operationResults" })
            {
                resourceTypes.Add(new JsonObject
                {
                    ["resourceType"] = operationType,
                    ["locations"] = new JsonArray(),
                    ["apiVersions"] = new JsonArray([.. types[0].ApiVersions.Select(v => (JsonNode)v)]),
                });
            }
        }

        var canonical = types.Count > 0 ? types[0].Namespace : ns;
        return new JsonObject
        {
            ["id"] = subscriptionScoped ? $"/subscriptions/{rt.SubscriptionId}/providers/{canonical}" : $"/providers/{canonical}",
            ["namespace"] = canonical,
            ["registrationState"] = "Registered",
            ["registrationPolicy"] = "RegistrationRequired",
            ["resourceTypes"] = resourceTypes,
        };
    }

    private static Task ListProviders(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Resources);
        EnsureSubscription(rt, Route(ctx, "sub"));
        var items = rt.Namespaces.Select(ns => (JsonNode)ProviderBody(rt, ns, subscriptionScoped: true));
        return ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, rt.Options.PageSize));
    }

    private static Task GetProvider(HttpContext ctx, ArmRuntime rt)
    {
        ArmHttp.RequireApiVersion(ctx.Request, ApiVersions.Resources);
        var scoped = ctx.Request.RouteValues.ContainsKey("sub");
        if (scoped)
        {
            EnsureSubscription(rt, Route(ctx, "sub"));
        }

        var ns = Route(ctx, "ns");
        if (!rt.Namespaces.Contains(ns, StringComparer.OrdinalIgnoreCase))
        {
            throw AzureErrorException.NotFound("InvalidResourceNamespace", $"The resource namespace '{ns}' is invalid.");
        }

        return ArmHttp.WriteJsonAsync(ctx, 200, ProviderBody(rt, ns, scoped));
    }
}
