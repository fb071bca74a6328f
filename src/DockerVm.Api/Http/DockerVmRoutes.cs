namespace DockerVm.Api.Http;

/// <summary>
/// Routes of the HTTP API. <c>*Route</c> constants are relative to the <c>api</c> prefix (what a Functions
/// <c>HttpTrigger</c> takes); the others are full paths (what the local host maps). Both hosts serve the same URLs.
/// </summary>
public static class DockerVmRoutes
{
    public const string Prefix = "/api";

    public const string CollectionRoute = "docker-vms";
    public const string ItemRoute = "docker-vms/{id}";
    public const string WebhookRoute = "webhooks/docker-vms";
    public const string OpenApiRoute = "openapi.json";

    public const string Collection = Prefix + "/" + CollectionRoute;
    public const string Item = Prefix + "/" + ItemRoute;
    public const string Webhook = Prefix + "/" + WebhookRoute;
    public const string OpenApiDocument = Prefix + "/" + OpenApiRoute;

    /// <summary>Header honoured on <c>POST /api/docker-vms</c>; wins over the body's <c>idempotencyKey</c>.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The status resource of one Docker host request.</summary>
    public static string StatusPath(string id) => $"{Collection}/{Uri.EscapeDataString(id)}";
}
