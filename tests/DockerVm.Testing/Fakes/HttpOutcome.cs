using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DockerVm.Testing;

/// <summary>What a client would see of an executed result.</summary>
public sealed record HttpOutcome(int StatusCode, IHeaderDictionary Headers, string ContentType, string Body)
{
    public JsonElement Json => Body.ToElement();

    public string? Location => Headers.Location.FirstOrDefault();
}
