using System.Globalization;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Identity;

/// <summary>
/// App Service style managed identity endpoint: <c>IDENTITY_ENDPOINT</c> + <c>X-IDENTITY-HEADER</c> (2019-08-01)
/// and the older <c>MSI_ENDPOINT</c> + <c>secret</c> header (2017-09-01).
/// </summary>
internal static class ManagedIdentityEndpoints
{
    public const string Path = "/msi/token";

    public static void MapManagedIdentity(this IEndpointRouteBuilder app, TokenService tokens, string identityHeader, ILogger logger) =>
        app.MapGet(Path, ctx => IssueAsync(ctx, tokens, identityHeader, logger));

    private static Task IssueAsync(HttpContext ctx, TokenService tokens, string identityHeader, ILogger logger)
    {
        var query = ctx.Request.Query;
        var apiVersion = query["api-version"].ToString();
        var legacy = apiVersion == "2017-09-01";
        if (apiVersion != "2019-08-01" && !legacy)
        {
            return Error(ctx, 400, "invalid_request", $"api-version '{apiVersion}' is not supported; use 2019-08-01 (X-IDENTITY-HEADER) or 2017-09-01 (secret).");
        }

        var presented = legacy ? ctx.Request.Headers["secret"].ToString() : ctx.Request.Headers["X-IDENTITY-HEADER"].ToString();
        if (!string.Equals(presented, identityHeader, StringComparison.Ordinal))
        {
            return Error(ctx, 401, "unauthorized", legacy ? "The 'secret' header is missing or invalid." : "The 'X-IDENTITY-HEADER' header is missing or invalid.");
        }

        var resource = query["resource"].ToString();
        if (string.IsNullOrWhiteSpace(resource))
        {
            return Error(ctx, 400, "invalid_request", "Required query variable 'resource' is missing.");
        }

        var clientId = legacy ? query["clientid"].ToString() : query["client_id"].ToString();
        var (token, expiresOn) = tokens.Issue(TokenService.NormalizeAudience(resource), clientId);
        Log.TokenIssued(logger, resource, apiVersion);
        var body = new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = legacy
                ? expiresOn.ToString("MM/dd/yyyy HH:mm:ss +00:00", CultureInfo.InvariantCulture)
                : expiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        };
        if (!legacy)
        {
            body["client_id"] = string.IsNullOrEmpty(clientId) ? tokens.DefaultClientId : clientId;
        }

        return ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static Task Error(HttpContext ctx, int status, string error, string description) =>
        ArmHttp.WriteJsonAsync(ctx, status, new JsonObject
        {
            ["statusCode"] = status,
            ["error"] = error,
            ["error_description"] = description,
        });
}
