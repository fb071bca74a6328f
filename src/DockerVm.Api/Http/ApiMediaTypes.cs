using Microsoft.Net.Http.Headers;

namespace DockerVm.Api.Http;

/// <summary>
/// The request bodies the API reads are <c>application/json</c>, optionally with <c>charset=utf-8</c>, and nothing
/// else: no <c>+json</c> suffix types (their meaning is another contract, e.g. CloudEvents), no other charset or
/// parameter. Anything else is 415.
/// </summary>
public static class ApiMediaTypes
{
    public const string Json = "application/json";

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }

        if (!parsed.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var parameter in parsed.Parameters)
        {
            if (!parameter.Name.Equals("charset", StringComparison.OrdinalIgnoreCase)
                || !HeaderUtilities.RemoveQuotes(parameter.Value).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
