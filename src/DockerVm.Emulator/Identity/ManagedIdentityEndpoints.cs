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

    /// <summary>The header App Service / Functions require on their token endpoint (api-version 2019-08-01).</summary>
    public const string HeaderName = "X-IDENTITY-HEADER";

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

        var presented = legacy ? ctx.Request.Headers["secret"].ToString() : ctx.Request.Headers[HeaderName].ToString();
        if (!SharedSecret.Matches(presented, identityHeader))
        {
            return Refuse(ctx, legacy ? "secret" : HeaderName, logger);
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

    /// <summary>
    /// <c>GET /_emulator/token?resource=…</c>: a token for scripts, with the same protection as the identity endpoint
    /// (the identity header is a guard against server-side request forgery: whoever can make a loopback request
    /// without knowing it gets nothing).
    /// </summary>
    public static Task IssueForToolsAsync(HttpContext ctx, TokenService tokens, string identityHeader, ILogger logger)
    {
        if (!SharedSecret.Matches(ctx.Request.Headers[HeaderName].ToString(), identityHeader))
        {
            return Refuse(ctx, HeaderName, logger);
        }

        var resource = ctx.Request.Query["resource"].ToString();
        if (string.IsNullOrWhiteSpace(resource))
        {
            return Error(ctx, 400, "invalid_request", "Required query variable 'resource' is missing.");
        }

        var (token, expiresOn) = tokens.Issue(TokenService.NormalizeAudience(resource));
        Log.TokenIssued(logger, resource, "tools");
        return ArmHttp.WriteJsonAsync(ctx, 200, new JsonObject
        {
            ["access_token"] = token,
            ["expires_on"] = expiresOn.ToUnixTimeSeconds(),
            ["resource"] = resource,
            ["token_type"] = "Bearer",
        });
    }

    private static Task Refuse(HttpContext ctx, string header, ILogger logger)
    {
        Log.IdentityRefused(logger, ctx.Request.Path, header);
        return Error(ctx, 401, "unauthorized", $"The '{header}' header is missing or invalid.");
    }

    private static Task Error(HttpContext ctx, int status, string error, string description) =>
        ArmHttp.WriteJsonAsync(ctx, status, new JsonObject
        {
            ["statusCode"] = status,
            ["error"] = error,
            ["error_description"] = description,
        });
}
