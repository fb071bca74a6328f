using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Hosting;

/// <summary>
/// ARM's cloud metadata endpoint, <c>GET {resourceManager}/metadata/endpoints?api-version=…</c>, unauthenticated as on
/// ARM. Tools discover a cloud from it: <c>az cloud register --endpoint-resource-manager URL</c> fills in the login
/// endpoint, the token audience and the graph endpoint from the 2015-01-01 object (msrestazure
/// <c>azure_cloud._populate_from_metadata_endpoint</c>); az's <c>ARM_CLOUD_METADATA_URL</c>, Terraform's
/// <c>metadata_host</c> and the Azure SDKs read the newer array of clouds (2019-05-01 and later, the shape
/// <c>azure.cli.core.cloud._arm_to_cli_mapper</c> maps). What a client would call points at the emulator, so nothing
/// leaves loopback; the audiences stay Azure's identifiers, which the emulator's tokens carry. No Key Vault DNS suffix:
/// the emulator's vault is its root URL, not <c>{name}.{suffix}</c>, so a vault is addressed by its URL (<c>--id</c>).
/// </summary>
internal static class CloudMetadataEndpoints
{
    public const string Path = "/metadata/endpoints";

    /// <summary>The name the emulator's cloud goes by (the array form's <c>name</c>; the README registers it so).</summary>
    public const string CloudName = "DockerVmLocal";

    private static readonly IReadOnlyList<string> Versions = ["2022-09-01", "2020-06-01", "2019-05-01", "2015-01-01"];

    public static void MapCloudMetadata(this IEndpointRouteBuilder app, EmulatorOptions options) =>
        app.MapGet(Path, ctx =>
        {
            var version = ArmHttp.RequireApiVersion(ctx.Request, Versions);
            var baseUrl = ArmHttp.BaseUrl(ctx.Request);
            return ArmHttp.WriteJsonAsync(ctx, 200, version == "2015-01-01" ? Legacy(options, baseUrl) : new JsonArray(Cloud(options, baseUrl)));
        });

    /// <summary>ARM's tokens are accepted for both audiences; Azure lists the classic one first, and az takes the first.</summary>
    private static JsonArray Audiences(EmulatorOptions options)
    {
        var audiences = new List<string> { "https://management.core.windows.net/", options.ArmAudience.TrimEnd('/') + "/" };
        return new JsonArray([.. audiences.Distinct(StringComparer.OrdinalIgnoreCase).Select(a => (JsonNode)a)]);
    }

    private static JsonObject Legacy(EmulatorOptions options, string baseUrl) => new()
    {
        ["galleryEndpoint"] = baseUrl,
        ["graphEndpoint"] = baseUrl,
        ["portalEndpoint"] = baseUrl,
        ["authentication"] = new JsonObject
        {
            ["loginEndpoint"] = baseUrl,
            ["audiences"] = Audiences(options),
        },
    };

    private static JsonObject Cloud(EmulatorOptions options, string baseUrl) => new()
    {
        ["name"] = CloudName,
        ["resourceManager"] = baseUrl,
        ["portal"] = baseUrl,
        ["gallery"] = baseUrl,
        ["graph"] = baseUrl,
        ["graphAudience"] = baseUrl,
        ["microsoftGraphResourceId"] = baseUrl,
        ["authentication"] = new JsonObject
        {
            ["loginEndpoint"] = baseUrl,
            ["audiences"] = Audiences(options),
            ["tenant"] = options.TenantId,
            ["identityProvider"] = "AAD",
        },
        ["suffixes"] = new JsonObject(),
    };
}
