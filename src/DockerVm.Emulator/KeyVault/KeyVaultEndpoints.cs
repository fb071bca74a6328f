using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.KeyVault;

/// <summary>Key Vault's secrets data plane (soft delete on, purge allowed), at the root of the emulator's URL.</summary>
internal static partial class KeyVaultEndpoints
{
    private const int MaxPageSize = 25;
    private const int MaxValueLength = 25 * 1024;
    private const int RecoverableDays = 90;
    private const int MaxTags = 15;
    private const int MaxTagLength = 512;

    public static void MapKeyVault(this IEndpointRouteBuilder app, SecretStore store, EmulatorOptions options)
    {
        app.MapGet("/secrets", ctx => ListSecrets(ctx, store, options));
        app.MapPut("/secrets/{name}", ctx => SetSecret(ctx, store, options));
        app.MapDelete("/secrets/{name}", ctx => DeleteSecret(ctx, store, options));
        app.MapGet("/secrets/{name}/versions", ctx => ListVersions(ctx, store, options));
        app.MapGet("/secrets/{name}/{version?}", ctx => GetSecret(ctx, store));
        app.MapPatch("/secrets/{name}/{version?}", ctx => UpdateSecret(ctx, store, options));
        app.MapGet("/deletedsecrets", ctx => ListDeleted(ctx, store, options));
        app.MapGet("/deletedsecrets/{name}", ctx => GetDeleted(ctx, store, options));
        app.MapDelete("/deletedsecrets/{name}", ctx => Purge(ctx, store, options));
        app.MapPost("/deletedsecrets/{name}/recover", ctx => Recover(ctx, store, options));
    }

    private static string Vault(HttpRequest request) => ArmHttp.BaseUrl(request).TrimEnd('/');

    private static long Now(EmulatorOptions options) => options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();

    private static void RequireApiVersion(HttpRequest request)
    {
        var version = ArmHttp.ApiVersion(request);
        if (string.IsNullOrEmpty(version))
        {
            throw AzureErrorException.BadRequest("BadParameter", "The 'api-version' query parameter is required.");
        }

        if (!ApiVersions.Contains(ApiVersions.KeyVault, version))
        {
            throw AzureErrorException.BadRequest("BadParameter", $"The specified version ({version}) is not recognized. Consider using the latest supported version ({ApiVersions.KeyVault[0]}).");
        }
    }

    private static string Name(HttpContext ctx)
    {
        var name = (string)ctx.Request.RouteValues["name"]!;
        if (!SecretName().IsMatch(name))
        {
            throw AzureErrorException.BadRequest("BadParameter", $"The request URI contains an invalid name: {name}");
        }

        return name;
    }

    private static AzureErrorException NotFound(string name, string? version = null) =>
        AzureErrorException.NotFound(
            "SecretNotFound",
            $"A secret with (name/id) {name}{(version is null ? string.Empty : "/" + version)} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182");

    private static JsonObject Attributes(SecretVersion version)
    {
        var attributes = new JsonObject
        {
            ["enabled"] = version.Enabled,
            ["created"] = version.Created,
            ["updated"] = version.Updated,
            ["recoveryLevel"] = "Recoverable+Purgeable",
            ["recoverableDays"] = RecoverableDays,
        };
        if (version.NotBefore is { } nbf)
        {
            attributes["nbf"] = nbf;
        }

        if (version.Expires is { } exp)
        {
            attributes["exp"] = exp;
        }

        return attributes;
    }

    private static JsonObject Bundle(HttpRequest request, SecretEntry entry, SecretVersion version, bool includeValue, bool versionedId = true)
    {
        var bundle = new JsonObject
        {
            ["id"] = versionedId ? $"{Vault(request)}/secrets/{entry.Name}/{version.Version}" : $"{Vault(request)}/secrets/{entry.Name}",
            ["attributes"] = Attributes(version),
            ["tags"] = version.Tags?.DeepClone() ?? new JsonObject(),
        };
        if (includeValue)
        {
            bundle["value"] = version.Value;
        }

        if (version.ContentType is not null)
        {
            bundle["contentType"] = version.ContentType;
        }

        return bundle;
    }

    private static JsonObject DeletedBundle(HttpRequest request, DeletedSecret deleted, bool versionedId)
    {
        var bundle = Bundle(request, deleted.Entry, deleted.Entry.Latest, includeValue: false, versionedId);
        bundle["recoveryId"] = $"{Vault(request)}/deletedsecrets/{deleted.Entry.Name}";
        bundle["deletedDate"] = deleted.DeletedOn.ToUnixTimeSeconds();
        bundle["scheduledPurgeDate"] = deleted.DeletedOn.AddDays(RecoverableDays).ToUnixTimeSeconds();
        return bundle;
    }

    private static void ApplyAttributes(SecretVersion version, JsonObject request)
    {
        if (request["contentType"] is JsonNode contentType)
        {
            version.ContentType = (string?)contentType;
        }

        if (request["tags"] is JsonObject tags)
        {
            version.Tags = (JsonObject)tags.DeepClone();
        }

        if (request["attributes"] is JsonObject attributes)
        {
            if (attributes["enabled"] is JsonNode enabled)
            {
                version.Enabled = (bool)enabled;
            }

            if (attributes["nbf"] is JsonNode nbf)
            {
                version.NotBefore = (long?)nbf;
            }

            if (attributes["exp"] is JsonNode exp)
            {
                version.Expires = (long?)exp;
            }
        }
    }

    /// <summary>At most 15 tags, names and values of at most 512 characters (about-secrets.md, "Secret tags", as corrected
    /// after MicrosoftDocs/azure-docs#117407; earlier versions said 256). Key Vault answers a 16th tag with 400
    /// BadParameter "Property has invalid value" (hashicorp/terraform-provider-azurerm#16780, aztfmod/terraform-azurerm-caf#821).</summary>
    private static void EnsureTagLimits(JsonObject request)
    {
        if (request["tags"] is JsonObject tags
            && (tags.Count > MaxTags || tags.Any(t => t.Key.Length > MaxTagLength || (t.Value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > MaxTagLength))))
        {
            throw AzureErrorException.BadRequest("BadParameter", "Property has invalid value\r\n");
        }
    }

    private static async Task SetSecret(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        var request = await ArmHttp.ReadObjectAsync(ctx.Request);
        if (request["value"] is not JsonValue valueNode || !valueNode.TryGetValue<string>(out var value))
        {
            throw AzureErrorException.BadRequest("BadParameter", "Property 'value' is required and must be a string.");
        }

        if (value.Length > MaxValueLength)
        {
            throw AzureErrorException.BadRequest("BadParameter", $"The secret value exceeds the maximum allowed size of {MaxValueLength} characters.");
        }

        EnsureTagLimits(request);

        JsonObject body;
        lock (store.Gate)
        {
            if (store.Deleted.ContainsKey(name))
            {
                throw AzureErrorException.Conflict("Conflict", $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.");
            }

            if (!store.Live.TryGetValue(name, out var entry))
            {
                entry = new SecretEntry(name);
                store.Live[name] = entry;
            }

            var now = Now(options);
            var version = new SecretVersion { Version = ResourceStore.NewHexId(), Value = value, Created = now, Updated = now };
            ApplyAttributes(version, request);
            entry.Versions.Add(version);
            body = Bundle(ctx.Request, entry, version, includeValue: true);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static SecretVersion Find(SecretStore store, string name, string? version, out SecretEntry entry)
    {
        if (!store.Live.TryGetValue(name, out entry!))
        {
            throw NotFound(name, version);
        }

        if (string.IsNullOrEmpty(version))
        {
            return entry.Latest;
        }

        return entry.Versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase))
            ?? throw NotFound(name, version);
    }

    private static async Task GetSecret(HttpContext ctx, SecretStore store)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        var requested = ctx.Request.RouteValues["version"] as string;
        JsonObject body;
        lock (store.Gate)
        {
            var version = Find(store, name, requested, out var entry);
            if (!version.Enabled)
            {
                throw new AzureErrorException(403, "Forbidden", "Operation get is not allowed on a disabled secret.");
            }

            body = Bundle(ctx.Request, entry, version, includeValue: true);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static async Task UpdateSecret(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        var request = await ArmHttp.ReadObjectAsync(ctx.Request);
        EnsureTagLimits(request);
        JsonObject body;
        lock (store.Gate)
        {
            var version = Find(store, name, ctx.Request.RouteValues["version"] as string, out var entry);
            ApplyAttributes(version, request);
            version.Updated = Now(options);
            body = Bundle(ctx.Request, entry, version, includeValue: false);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static int PageSize(HttpRequest request, EmulatorOptions options)
    {
        if (request.Query.TryGetValue("maxresults", out var value)
            && (!int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var requested) || requested is < 1 or > MaxPageSize))
        {
            throw AzureErrorException.BadRequest("BadParameter", $"Invalid value for maxresults: '{value}'. It must be an integer between 1 and {MaxPageSize}.");
        }

        return Math.Min(options.PageSize, MaxPageSize);
    }

    private static async Task ListSecrets(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        List<JsonNode> items;
        lock (store.Gate)
        {
            items = [.. store.Live.Values.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .Select(e => (JsonNode)Bundle(ctx.Request, e, e.Latest, includeValue: false, versionedId: false))];
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, PageSize(ctx.Request, options), topParameter: "maxresults"));
    }

    private static async Task ListVersions(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        List<JsonNode> items;
        lock (store.Gate)
        {
            items = store.Live.TryGetValue(name, out var entry)
                ? [.. entry.Versions.Select(v => (JsonNode)Bundle(ctx.Request, entry, v, includeValue: false))]
                : [];
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, PageSize(ctx.Request, options), topParameter: "maxresults"));
    }

    private static async Task DeleteSecret(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        JsonObject body;
        lock (store.Gate)
        {
            if (!store.Live.Remove(name, out var entry))
            {
                throw NotFound(name);
            }

            var now = options.TimeProvider.GetUtcNow();
            var deleted = new DeletedSecret(entry, now, now + options.Durations.SecretDelete);
            store.Deleted[name] = deleted;
            body = DeletedBundle(ctx.Request, deleted, versionedId: true);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static DeletedSecret FindDeleted(SecretStore store, EmulatorOptions options, string name)
    {
        if (!store.Deleted.TryGetValue(name, out var deleted) || deleted.VisibleFrom > options.TimeProvider.GetUtcNow())
        {
            throw AzureErrorException.NotFound("SecretNotFound", "Deleted Secret not found");
        }

        return deleted;
    }

    private static async Task GetDeleted(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        JsonObject body;
        lock (store.Gate)
        {
            body = DeletedBundle(ctx.Request, FindDeleted(store, options, name), versionedId: true);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    private static async Task ListDeleted(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        List<JsonNode> items;
        lock (store.Gate)
        {
            var now = options.TimeProvider.GetUtcNow();
            items = [.. store.Deleted.Values.Where(d => d.VisibleFrom <= now).OrderBy(d => d.Entry.Name, StringComparer.OrdinalIgnoreCase)
                .Select(d => (JsonNode)DeletedBundle(ctx.Request, d, versionedId: false))];
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, ArmHttp.Page(ctx.Request, items, PageSize(ctx.Request, options), topParameter: "maxresults"));
    }

    private static async Task Purge(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        lock (store.Gate)
        {
            FindDeleted(store, options, name);
            store.Deleted.Remove(name);
        }

        await ArmHttp.WriteJsonAsync(ctx, 204, null);
    }

    private static async Task Recover(HttpContext ctx, SecretStore store, EmulatorOptions options)
    {
        RequireApiVersion(ctx.Request);
        var name = Name(ctx);
        JsonObject body;
        lock (store.Gate)
        {
            var deleted = FindDeleted(store, options, name);
            if (store.Live.ContainsKey(name))
            {
                throw AzureErrorException.Conflict("Conflict", $"Secret {name} already exists.");
            }

            store.Deleted.Remove(name);
            store.Live[name] = deleted.Entry;
            body = Bundle(ctx.Request, deleted.Entry, deleted.Entry.Latest, includeValue: false);
        }

        await ArmHttp.WriteJsonAsync(ctx, 200, body);
    }

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex SecretName();
}
