using System.Text.Json;
using DockerVm.Api.Http;
using DockerVm.Api.OpenApi;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using DockerVm.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.Api.Tests.OpenApi;

/// <summary>Keeps the checked-in openapi.json true to the routes and the JSON contract.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly JsonElement Document = DockerVmOpenApi.Json.ToElement();

    private static JsonElement Schema(string name) => Document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    /// <summary>(METHOD path, operationId) of every operation in the document.</summary>
    public static HashSet<(string Operation, string OperationId)> DocumentedOperations()
    {
        var operations = new HashSet<(string, string)>();
        foreach (var path in Document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                operations.Add(($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value.GetProperty("operationId").GetString()!));
            }
        }

        return operations;
    }

    [Fact]
    public async Task Document_MatchesEveryEndpointMappedByMapDockerVmApi()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddDockerVmApi();
        builder.Services.AddSingleton<DurableTaskClient>(new FakeDurableTaskClient());
        await using var app = builder.Build();
        app.MapDockerVmApi();

        var mapped = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods
                .Select(m => ($"{m} {e.RoutePattern.RawText}", e.Metadata.GetRequiredMetadata<IEndpointNameMetadata>().EndpointName)))
            .ToHashSet();

        Assert.Equal(DocumentedOperations().OrderBy(o => o.Operation), mapped.OrderBy(o => o.Item1));
    }

    /// <summary>Issue 11 D: the API says what DockerExtension does (get.docker.com, docker-compose 1.6.2 on every enable,
    /// deprecated since November 2018, docker.service rewritten) and that customScript is the supported default.</summary>
    [Fact]
    public void Installer_Description_SaysCustomScriptIsTheDefaultAndWhatDockerExtensionDoes()
    {
        var installer = Schema("ProvisionDockerVmRequest").GetProperty("properties").GetProperty("installer");
        var description = installer.GetProperty("description").GetString()!;

        Assert.Equal("customScript", installer.GetProperty("default").GetString());
        Assert.Contains("customScript (the default and the supported installer)", description, StringComparison.Ordinal);
        Assert.Contains("November 2018", description, StringComparison.Ordinal);
        Assert.Contains("get.docker.com", description, StringComparison.Ordinal);
        Assert.Contains("docker-compose 1.6.2", description, StringComparison.Ordinal);
        Assert.Contains("rewrites docker.service", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOpenApiDocument_ServesTheEmbeddedOpenApi31Document()
    {
        await using var api = ApiTestContext.Create();
        var request = api.Request("GET", DockerVmRoutes.OpenApiDocument);

        var response = await ApiTestContext.ExecuteAsync(DockerVmHttpHandlers.GetOpenApiDocument(), request);

        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("application/json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal("3.1.0", response.Json.GetProperty("openapi").GetString());
    }

    [Theory]
    [InlineData("ProvisionDockerVmRequest", typeof(ProvisionDockerVmRequest))]
    [InlineData("VmImageReference", typeof(VmImageReference))]
    [InlineData("CallbackRequest", typeof(CallbackRequest))]
    [InlineData("CertificateOptions", typeof(CertificateOptions))]
    [InlineData("SubmitResponse", typeof(SubmitResponse))]
    [InlineData("DeprovisionResponse", typeof(DeprovisionResponse))]
    [InlineData("DockerVmListResponse", typeof(DockerVmListResponse))]
    [InlineData("DockerVmStatus", typeof(DockerVmStatus))]
    [InlineData("DockerHostEndpoint", typeof(DockerHostEndpoint))]
    [InlineData("DockerSecretIdentifiers", typeof(DockerSecretIdentifiers))]
    [InlineData("DockerVmError", typeof(DockerVmError))]
    [InlineData("CallbackDeliveryResult", typeof(CallbackDeliveryResult))]
    [InlineData("InboundWebhookPayload", typeof(InboundWebhookPayload))]
    public void Schema_ListsExactlyTheJsonPropertiesOfTheContractType(string schema, Type type)
    {
        var documented = Schema(schema).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var actual = JsonSerializerOptions.Web.GetTypeInfo(type).Properties.Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(actual, documented);
    }

    [Theory]
    [InlineData("ProvisioningStep", typeof(ProvisioningStep), null)]
    [InlineData("DockerVmStatus", typeof(DockerVmState), "state")]
    [InlineData("ProvisionDockerVmRequest", typeof(DockerInstaller), "installer")]
    [InlineData("CertificateOptions", typeof(CertificateKeyAlgorithm), "keyAlgorithm")]
    public void Schema_EnumValuesMatchTheSerializedEnum(string schema, Type enumType, string? property)
    {
        var node = property is null ? Schema(schema) : Schema(schema).GetProperty("properties").GetProperty(property);
        var documented = node.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!);
        var actual = Enum.GetValues(enumType).Cast<object>().Select(v => JsonSerializer.Serialize(v, enumType).Trim('"'));

        Assert.Equal(actual, documented);
    }
}
