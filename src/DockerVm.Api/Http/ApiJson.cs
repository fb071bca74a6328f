using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockerVm.Api.Http;

/// <summary>JSON rules of the HTTP API, for both reading bodies and writing responses.</summary>
public static class ApiJson
{
    /// <summary>
    /// camelCase, and unknown members refused: a misspelt field (<c>allowedSourceCidr</c>) is reported by its JSON path
    /// instead of being silently ignored.
    /// </summary>
    public static JsonSerializerOptions RequestOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Applied to the host's <c>Microsoft.AspNetCore.Http.Json.JsonOptions</c>.</summary>
    public static void ConfigureResponses(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}
