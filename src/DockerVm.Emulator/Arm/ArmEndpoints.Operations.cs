using System.Globalization;
using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>Operation status documents (Azure-AsyncOperation) and operation results (Location).</summary>
internal static partial class ArmEndpoints
{
    private static async Task GetOperation(HttpContext ctx, ArmRuntime rt, bool asResult)
    {
        EnsureSubscription(rt, Route(ctx, "sub"));
        var ns = Route(ctx, "ns");
        var type = rt.Types.FirstOrDefault(t => string.Equals(t.Namespace, ns, StringComparison.OrdinalIgnoreCase))
            ?? throw AzureErrorException.NotFound("InvalidResourceNamespace", $"The resource namespace '{ns}' is invalid.");
        ArmHttp.RequireApiVersion(ctx.Request, type);
        AsyncOperation operation;
        lock (rt.Store.Gate)
        {
            rt.Store.Advance();
            operation = rt.Store.FindOperation(Route(ctx, "id"))
                ?? throw AzureErrorException.NotFound("OperationNotFound", $"The operation '{Route(ctx, "id")}' was not found.");
        }

        // Due but still validating certificates off the lock: wait briefly rather than costing the client a Retry-After.
        if (operation is { Status: OperationStatus.InProgress, Prerequisite: { IsCompleted: false } prerequisite } && operation.Due <= rt.Now)
        {
            await Task.WhenAny(prerequisite, Task.Delay(TimeSpan.FromSeconds(5), ctx.RequestAborted));
            lock (rt.Store.Gate)
            {
                rt.Store.Advance();
            }
        }

        if (asResult)
        {
            await WriteOperationResultAsync(ctx, rt, operation);
            return;
        }

        var body = new JsonObject
        {
            ["name"] = operation.Id,
            ["status"] = operation.Status.ToString(),
            ["startTime"] = operation.Start.ToString("o", CultureInfo.InvariantCulture),
        };
        if (operation.End is { } end)
        {
            body["endTime"] = end.ToString("o", CultureInfo.InvariantCulture);
        }

        if (operation.Error is { } error)
        {
            body["error"] = error.ToJson();
        }

        if (operation.Status == OperationStatus.InProgress)
        {
            ctx.Response.Headers.RetryAfter = rt.Options.OperationRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static Task WriteOperationResultAsync(HttpContext ctx, ArmRuntime rt, AsyncOperation operation)
    {
        switch (operation.Status)
        {
            case OperationStatus.InProgress:
                ctx.Response.Headers.Location = $"{ArmHttp.BaseUrl(ctx.Request).TrimEnd('/')}{ctx.Request.Path}{ctx.Request.QueryString}";
                ctx.Response.Headers.RetryAfter = rt.Options.OperationRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return ArmHttp.WriteJsonAsync(ctx, 202, null);
            case OperationStatus.Succeeded:
                return ArmHttp.WriteJsonAsync(ctx, operation.IsDelete ? 204 : 200, null);
            default:
                var error = operation.Error ?? new AzureError("OperationFailed", "The operation failed.");
                throw new AzureErrorException(error.Code == "InternalServerError" ? 500 : 400, error);
        }
    }


    private static void SetOperationHeaders(HttpContext ctx, ArmRuntime rt, ResourceType type, AsyncOperation operation, string version, bool includeLocation)
    {
        var root = $"{ArmHttp.BaseUrl(ctx.Request)}subscriptions/{rt.SubscriptionId}/providers/{type.Namespace}/locations/{operation.Location}";
        ctx.Response.Headers["Azure-AsyncOperation"] = $"{root}/operations/{operation.Id}?api-version={version}";
        if (includeLocation)
        {
            ctx.Response.Headers.Location = $"{root}/operationResults/{operation.Id}?api-version={version}";
        }

        ctx.Response.Headers.RetryAfter = rt.Options.OperationRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
