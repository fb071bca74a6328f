using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace DockerVm.Emulator.Arm;

/// <summary>Wire helpers shared by the ARM and Key Vault endpoints.</summary>
internal static class ArmHttp
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Azure writes quotes and '+' literally (no HTML-safe escaping); so do we.</summary>
    public static readonly JsonSerializerOptions WireOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}/";

    public static async Task WriteJsonAsync(HttpContext context, int statusCode, JsonNode? body)
    {
        context.Response.StatusCode = statusCode;
        if (body is null)
        {
            return;
        }

        context.Response.ContentType = JsonContentType;
        await context.Response.WriteAsync(body.ToJsonString(WireOptions), context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, AzureErrorException error)
    {
        foreach (var (name, value) in error.Headers)
        {
            context.Response.Headers[name] = value;
        }

        var body = new JsonObject { ["error"] = error.Error.ToJson() };
        return WriteJsonAsync(context, error.StatusCode, body);
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return node as JsonObject
                ?? throw AzureErrorException.BadRequest("InvalidRequestContent", "The request content was invalid and could not be deserialized: the body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw AzureErrorException.BadRequest("InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{ex.Message}'.");
        }
    }

    public static string? ApiVersion(HttpRequest request) =>
        request.Query.TryGetValue("api-version", out var value) ? value.ToString() : null;

    /// <summary>ARM's answer to a missing or unknown api-version for a non-provider endpoint.</summary>
    public static string RequireApiVersion(HttpRequest request, IReadOnlyList<string> versions)
    {
        var version = ApiVersion(request);
        if (string.IsNullOrEmpty(version))
        {
            throw AzureErrorException.BadRequest("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (!ApiVersions.Contains(versions, version))
        {
            throw AzureErrorException.BadRequest(
                "InvalidApiVersionParameter",
                $"The api-version '{version}' is invalid. The supported versions are '{string.Join(",", versions)}'. The supported locations are '{string.Join(",", ArmNames.Locations)}'.");
        }

        return version;
    }

    /// <summary>ARM's answer to an unknown api-version for a resource provider type.</summary>
    public static string RequireApiVersion(HttpRequest request, ResourceType type, string? location = null)
    {
        var version = ApiVersion(request);
        if (string.IsNullOrEmpty(version))
        {
            throw AzureErrorException.BadRequest("MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (!ApiVersions.Contains(type.ApiVersions, version))
        {
            var where = string.IsNullOrEmpty(location) ? string.Empty : $"location '{location}' and ";
            throw AzureErrorException.BadRequest(
                "NoRegisteredProviderFound",
                $"No registered resource provider found for {where}API version '{version}' for type '{type.TypeName}'. The supported api-versions are '{string.Join(", ", type.ApiVersions)}'. The supported locations are '{string.Join(", ", ArmNames.Locations)}'.");
        }

        return version;
    }

    /// <summary>One page of a list, ARM style: <c>{"value":[...],"nextLink":absolute}</c>.</summary>
    public static JsonObject Page(HttpRequest request, IEnumerable<JsonNode> items, int pageSize, string valueName = "value", string? topParameter = "$top")
    {
        var skip = 0;
        if (request.Query.TryGetValue("$skiptoken", out var token) && !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            throw AzureErrorException.BadRequest("InvalidSkipToken", $"The skip token '{token}' is invalid.");
        }

        var size = pageSize;
        if (topParameter is not null && request.Query.TryGetValue(topParameter, out var top)
            && int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out var requested) && requested > 0)
        {
            size = Math.Min(size, requested);
        }

        var all = items.ToList();
        var page = new JsonArray();
        foreach (var item in all.Skip(skip).Take(size))
        {
            page.Add(item);
        }

        var result = new JsonObject { [valueName] = page };
        if (skip + size < all.Count)
        {
            var query = QueryHelpers.ParseQuery(request.QueryString.Value);
            query["$skiptoken"] = (skip + size).ToString(CultureInfo.InvariantCulture);
            var pairs = query.SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)));
            result["nextLink"] = QueryHelpers.AddQueryString($"{BaseUrl(request).TrimEnd('/')}{request.Path}", pairs);
        }

        return result;
    }
}
