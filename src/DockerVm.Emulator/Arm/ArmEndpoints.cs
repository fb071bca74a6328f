namespace DockerVm.Emulator.Arm;

/// <summary>ARM's REST surface: subscriptions, providers, resource groups, typed resources and their operations.</summary>
internal static partial class ArmEndpoints
{
    private const string Rg = "/subscriptions/{sub}/resourceGroups/{rg}";
    private const string ResourcePath = Rg + "/providers/{ns}/{type}/{name}";

    public static void MapArm(this IEndpointRouteBuilder app, ArmRuntime rt)
    {
        app.MapGet("/subscriptions", ctx => ListSubscriptions(ctx, rt));
        app.MapGet("/subscriptions/{sub}", ctx => GetSubscription(ctx, rt));
        app.MapGet("/tenants", ctx => ListTenants(ctx, rt));
        app.MapGet("/subscriptions/{sub}/locations", ctx => ListLocations(ctx, rt));
        app.MapGet("/subscriptions/{sub}/providers", ctx => ListProviders(ctx, rt));
        app.MapGet("/subscriptions/{sub}/providers/{ns}", ctx => GetProvider(ctx, rt));
        app.MapPost("/subscriptions/{sub}/providers/{ns}/register", ctx => GetProvider(ctx, rt));
        app.MapGet("/providers/{ns}", ctx => GetProvider(ctx, rt));
        app.MapGet("/subscriptions/{sub}/resourceGroups", ctx => ListGroups(ctx, rt));
        app.MapMethods(Rg, ["PUT", "GET", "HEAD", "PATCH", "DELETE"], ctx => ResourceGroup(ctx, rt));
        app.MapGet(Rg + "/resources", ctx => ListResources(ctx, rt, groupScoped: true));
        app.MapGet("/subscriptions/{sub}/resources", ctx => ListResources(ctx, rt, groupScoped: false));
        app.MapGet("/subscriptions/{sub}/operationresults/{id}", ctx => GetGroupOperationResult(ctx, rt));
        app.MapGet("/subscriptions/{sub}/providers/{ns}/locations/{loc}/operations/{id}", ctx => GetOperation(ctx, rt, asResult: false));
        app.MapGet("/subscriptions/{sub}/providers/{ns}/locations/{loc}/operationResults/{id}", ctx => GetOperation(ctx, rt, asResult: true));
        app.MapGet("/subscriptions/{sub}/providers/{ns}/{type}", ctx => ListByType(ctx, rt, groupScoped: false));
        app.MapGet(Rg + "/providers/{ns}/{type}", ctx => ListByType(ctx, rt, groupScoped: true));
        app.MapMethods(ResourcePath, ["PUT", "GET", "HEAD", "PATCH", "DELETE"], ctx => Resource(ctx, rt, child: false));
        app.MapMethods(ResourcePath + "/{childType}", ["GET", "POST"], ctx => ChildListOrAction(ctx, rt));
        app.MapMethods(ResourcePath + "/{childType}/{childName}", ["PUT", "GET", "HEAD", "PATCH", "DELETE"], ctx => Resource(ctx, rt, child: true));
    }

    private static string Route(HttpContext ctx, string key) => (string)ctx.Request.RouteValues[key]!;

    private static void EnsureSubscription(ArmRuntime rt, string subscriptionId)
    {
        if (!string.Equals(subscriptionId, rt.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            throw AzureErrorException.NotFound("SubscriptionNotFound", $"The subscription '{subscriptionId}' could not be found.");
        }
    }

    private static ArmResource EnsureGroup(ArmRuntime rt, string name)
    {
        var group = rt.Store.FindGroup(name)
            ?? throw AzureErrorException.NotFound("ResourceGroupNotFound", $"Resource group '{name}' could not be found.");
        if (group.Deleting)
        {
            throw AzureErrorException.Conflict("ResourceGroupBeingDeleted", $"The resource group '{name}' is in deprovisioning state and cannot perform this operation.");
        }

        return group;
    }
}
