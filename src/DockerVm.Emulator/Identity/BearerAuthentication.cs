using System.Globalization;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Identity;

/// <summary>Bearer token checks with ARM's and Key Vault's own error codes and challenges.</summary>
internal sealed class BearerAuthentication(TokenService tokens, EmulatorOptions options, ILogger logger)
{
    public static bool IsArmPath(PathString path) =>
        path.StartsWithSegments("/subscriptions", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/providers", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/tenants", StringComparison.OrdinalIgnoreCase);

    public static bool IsKeyVaultPath(PathString path) =>
        path.StartsWithSegments("/secrets", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/deletedsecrets", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<string> ArmAudiences => [options.ArmAudience, "https://management.core.windows.net"];

    public void AuthenticateArm(HttpContext ctx)
    {
        var token = BearerToken(ctx.Request);
        if (token is null)
        {
            throw Reject(ctx, ArmChallenge("The authentication failed because of missing 'Authorization' header."), "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
        }

        var result = tokens.Validate(token, ArmAudiences);
        switch (result.Result)
        {
            case TokenCheck.Valid:
                return;
            case TokenCheck.Expired:
                throw Reject(ctx, ArmChallenge("The access token has expired."), "ExpiredAuthenticationToken",
                    $"The access token expiry UTC time '{result.ExpiresOn!.Value.UtcDateTime.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture)}' is earlier than current UTC time '{options.TimeProvider.GetUtcNow().UtcDateTime.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture)}'.");
            case TokenCheck.WrongAudience:
                throw Reject(ctx, ArmChallenge("The access token has been obtained for wrong audience or resource."), "InvalidAuthenticationTokenAudience",
                    $"The access token has been obtained for wrong audience or resource '{result.Audience}'. It should exactly match with one of the allowed audiences '{string.Join("','", ArmAudiences.Select(a => a + "/"))}'.");
            default:
                throw Reject(ctx, ArmChallenge("The access token is invalid."), "InvalidAuthenticationToken", "The access token is invalid.");
        }
    }

    public void AuthenticateKeyVault(HttpContext ctx)
    {
        var token = BearerToken(ctx.Request);
        if (token is null)
        {
            throw Reject(ctx, KeyVaultChallenge(), "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }

        var result = tokens.Validate(token, [options.KeyVaultAudience]);
        switch (result.Result)
        {
            case TokenCheck.Valid:
                return;
            case TokenCheck.Expired:
                throw Reject(ctx, KeyVaultChallenge(), "Unauthorized", "AKV10032: Token expired.");
            case TokenCheck.WrongAudience:
                throw Reject(ctx, KeyVaultChallenge(), "Unauthorized", $"AKV10022: Invalid audience. Expected {options.KeyVaultAudience}, found: {result.Audience}.");
            default:
                throw Reject(ctx, KeyVaultChallenge(), "Unauthorized", "AKV10005: The token signature is invalid.");
        }
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    private string ArmChallenge(string description) =>
        $"Bearer authorization_uri=\"https://login.microsoftonline.com/{options.TenantId}\", error=\"invalid_token\", error_description=\"{description}\"";

    private string KeyVaultChallenge() =>
        $"Bearer authorization=\"https://login.microsoftonline.com/{options.TenantId}\", resource=\"{options.KeyVaultAudience}\"";

    private AzureErrorException Reject(HttpContext ctx, string challenge, string code, string message)
    {
        Log.TokenRejected(logger, ctx.Request.Path, code);
        var error = new AzureErrorException(401, code, message);
        error.Headers["WWW-Authenticate"] = challenge;
        return error;
    }
}
