using System.Reflection;

namespace DockerVm.Api.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the HTTP API (<c>openapi.json</c>, embedded). Checked in rather than generated because
/// the Functions host has no endpoint metadata to generate from; a test keeps it in sync with both hosts' routes.
/// </summary>
public static class DockerVmOpenApi
{
    private static readonly Lazy<string> Document = new(Load);

    public static string Json => Document.Value;

    private static string Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DockerVm.Api.openapi.json")
            ?? throw new InvalidOperationException("The embedded OpenAPI document is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
