using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockerVm.Api.Http;

/// <summary>JSON rules of the HTTP API's responses. Request bodies are read by the one reader every door shares,
/// <see cref="DockerVm.Provisioning.Requests.RequestReader"/>, with <see cref="DockerVm.Provisioning.Requests.RequestJson.Options"/>.</summary>
public static class ApiJson
{
    /// <summary>Applied to the host's <c>Microsoft.AspNetCore.Http.Json.JsonOptions</c>.</summary>
    public static void ConfigureResponses(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
    }
}
