using System.Globalization;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Identity;

/// <summary>
/// App Service style managed identity endpoint: <c>IDENTITY_ENDPOINT</c> + <c>X-IDENTITY-HEADER</c> (2019-08-01)
/// and the older <c>MSI_ENDPOINT</c> + <c>secret</c> header (2017-09-01), both GET with the query
/// <c>resource</c>/<c>api-version</c> (Microsoft docs: "How to use managed identities for App Service and Azure
/// Functions", REST endpoint reference). The header is what makes a token request authenticated: App Service's
/// endpoint refuses a request without it, and so does this one, whatever the client's convention.
/// </summary>
internal static class ManagedIdentityEndpoints
{
    public const string Path = "/msi/token";

    /// <summary>The header App Service / Functions require on their token endpoint (api-version 2019-08-01).</summary>
    public const string HeaderName = "X-IDENTITY-HEADER";

    public static void MapManagedIdentity(this IEndpointRouteBuilder app, TokenService tokens, string identityHeader, ILogger logger)
    {
        app.MapGet(Path, ctx => IssueAsync(ctx, tokens, identityHeader, logger));
        app.MapPost(Path, ctx => RefuseFormAsync(ctx, identityHeader, logger));
    }

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

    /// <summary>
    /// A POST form (<c>resource=…</c>, header <c>Metadata: true</c>) is the Cloud Shell convention: msrestazure's
    /// <c>get_msi_token</c> sends it whenever <c>MSI_ENDPOINT</c> is set but <c>APPSETTING_WEBSITE_SITE_NAME</c> is not
    /// (that is how <c>az login --identity</c> 2.45 behaves outside App Service), and azure-identity's
    /// CloudShellCredential sends it for <c>MSI_ENDPOINT</c> without <c>MSI_SECRET</c>. It carries no secret: Cloud Shell
    /// can accept it because its endpoint is reachable only inside the user's own container, while any local process can
    /// reach this one. So it is refused with 401 and told how to send the App Service request instead; a form that does
    /// carry the secret is told to use GET.
    /// </summary>
    private static Task RefuseFormAsync(HttpContext ctx, string identityHeader, ILogger logger)
    {
        if (SharedSecret.Matches(ctx.Request.Headers["secret"].ToString(), identityHeader)
            || SharedSecret.Matches(ctx.Request.Headers[HeaderName].ToString(), identityHeader))
        {
            ctx.Response.Headers.Allow = "GET";
            return Error(ctx, 405, "invalid_request", "The token endpoint takes GET with the query 'resource' and 'api-version' (2019-08-01 or 2017-09-01), as App Service's does.");
        }

        Log.IdentityFormRefused(logger, ctx.Request.Path);
        return Error(ctx, 401, "unauthorized",
            "This token endpoint follows the App Service convention and requires the identity header: GET ?api-version=2019-08-01&resource=... with X-IDENTITY-HEADER, "
            + "or ?api-version=2017-09-01&resource=... with the 'secret' header. A POST form without it (the Cloud Shell convention) is refused. "
            + "For az login --identity, set MSI_ENDPOINT, MSI_SECRET and APPSETTING_WEBSITE_SITE_NAME, as App Service does, so that it sends the secret.");
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
