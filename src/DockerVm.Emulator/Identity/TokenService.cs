using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Identity;

/// <summary>
/// Issues and validates the emulator's access tokens: real JWTs (HS256 with a per-process key) carrying the claims
/// Entra ID tokens carry (aud, iss, tid, oid, appid, exp), so clients and humans can read them as usual.
/// </summary>
internal sealed class TokenService(EmulatorOptions options)
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string DefaultClientId => options.ManagedIdentityClientId;

    public static string NormalizeAudience(string resource)
    {
        var audience = resource.Trim();
        if (audience.EndsWith("/.default", StringComparison.OrdinalIgnoreCase))
        {
            audience = audience[..^"/.default".Length];
        }

        return audience.TrimEnd('/');
    }

    public (string Token, DateTimeOffset ExpiresOn) Issue(string resource, string? clientId = null, TimeSpan? lifetime = null)
    {
        var now = options.TimeProvider.GetUtcNow();
        var expires = now + (lifetime ?? options.TokenLifetime);
        var client = string.IsNullOrEmpty(clientId) ? options.ManagedIdentityClientId : clientId;
        var header = new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["aud"] = resource,
            ["iss"] = $"https://sts.windows.net/{options.TenantId}/",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.AddMinutes(-5).ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["appid"] = client,
            ["oid"] = DeterministicGuid(client),
            ["sub"] = DeterministicGuid(client),
            ["tid"] = options.TenantId,
            ["idtyp"] = "app",
            ["ver"] = "1.0",
        };
        var unsigned = $"{Base64Url(header.ToJsonString())}.{Base64Url(payload.ToJsonString())}";
        return ($"{unsigned}.{Sign(unsigned)}", expires);
    }

    public TokenValidation Validate(string token, IEnumerable<string> audiences)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return new TokenValidation(TokenCheck.Malformed);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign($"{parts[0]}.{parts[1]}")), Encoding.ASCII.GetBytes(parts[2])))
        {
            return new TokenValidation(TokenCheck.BadSignature);
        }

        JsonObject? payload;
        try
        {
            payload = JsonNode.Parse(Base64UrlDecode(parts[1])) as JsonObject;
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            return new TokenValidation(TokenCheck.Malformed);
        }

        var audience = (string?)payload?["aud"];
        var exp = payload?["exp"]?.GetValue<long>();
        if (audience is null || exp is null)
        {
            return new TokenValidation(TokenCheck.Malformed);
        }

        var expiresOn = DateTimeOffset.FromUnixTimeSeconds(exp.Value);
        if (expiresOn <= options.TimeProvider.GetUtcNow())
        {
            return new TokenValidation(TokenCheck.Expired, audience, expiresOn);
        }

        var normalized = NormalizeAudience(audience);
        return audiences.Any(a => string.Equals(NormalizeAudience(a), normalized, StringComparison.OrdinalIgnoreCase))
            ? new TokenValidation(TokenCheck.Valid, audience, expiresOn)
            : new TokenValidation(TokenCheck.WrongAudience, audience, expiresOn);
    }

    private static string DeterministicGuid(string seed) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(seed)).AsSpan(0, 16)).ToString();

    private string Sign(string data) => Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(data)));

    private static string Base64Url(string json) => Base64UrlEncode(Encoding.UTF8.GetBytes(json));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
