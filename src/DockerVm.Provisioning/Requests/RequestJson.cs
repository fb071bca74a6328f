using System.Text.Json;
using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// The JSON rules of the request contract, the same for every door (HTTP body, webhook envelope, queue message):
/// camelCase member names matched exactly, unknown members refused, numbers only as JSON numbers (the web defaults
/// would read <c>"2377"</c>), each member once per object, no comments or trailing commas.
/// </summary>
public static class RequestJson
{
    /// <summary>A request is a few kilobytes; a queue message is at most 64 KiB.</summary>
    public const int MaxBytes = 256 * 1024;

    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            AllowDuplicateProperties = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            MaxDepth = 16,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
