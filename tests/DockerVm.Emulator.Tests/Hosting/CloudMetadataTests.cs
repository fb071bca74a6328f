using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Hosting;

/// <summary>
/// ARM's cloud metadata endpoint, which <c>az cloud register --endpoint-resource-manager</c> (msrestazure
/// <c>_populate_from_metadata_endpoint</c>, api-version 2015-01-01) and az's ARM_CLOUD_METADATA_URL / Terraform's
/// metadata host (the array form, 2019-05-01 and later) read; and ARM's tolerance of empty path segments.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class CloudMetadataTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task MetadataEndpoints_2015_01_01_WithoutToken_PointsLoginAtTheEmulatorWithArmAudiences()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri("metadata/endpoints?api-version=2015-01-01", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.Emulator.BaseUri.ToString(), (string?)body["authentication"]?["loginEndpoint"]);
        Assert.Equal(["https://management.core.windows.net/", "https://management.azure.com/"], body["authentication"]!["audiences"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(fixture.Emulator.BaseUri.ToString(), (string?)body["graphEndpoint"]);
    }

    [Theory]
    [InlineData("2019-05-01")]
    [InlineData("2022-09-01")]
    public async Task MetadataEndpoints_ArrayForm_ListsTheEmulatorCloudWithoutAVaultSuffix(string apiVersion)
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri($"metadata/endpoints?api-version={apiVersion}", UriKind.Relative));
        var cloud = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray())!;

        Assert.Equal("DockerVmLocal", (string?)cloud["name"]);
        Assert.Equal(fixture.Emulator.ArmEndpoint.ToString(), (string?)cloud["resourceManager"]);
        Assert.Equal(fixture.Emulator.TenantId, (string?)cloud["authentication"]?["tenant"]);
        Assert.Equal("https://management.core.windows.net/", (string?)cloud["authentication"]?["audiences"]?[0]);
        Assert.Null(cloud["suffixes"]?["keyVaultDns"]);
    }

    [Fact]
    public async Task MetadataEndpoints_UnknownApiVersion_InvalidApiVersionParameter()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri("metadata/endpoints?api-version=2014-01-01", UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidApiVersionParameter", (string?)body["error"]?["code"]);
    }

    // msrestazure appends "/metadata/endpoints" to the registered endpoint, so "https://host:port/" gives "//metadata".
    [Fact]
    public async Task MetadataEndpoints_DoubleSlashAfterRegisteredEndpoint_Served()
    {
        using var http = fixture.Http();

        using var response = await http.GetAsync(new Uri($"{fixture.Emulator.BaseUri}/metadata/endpoints?api-version=2015-01-01"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // az resource show -g G -n N --resource-type Microsoft.Network/publicIPAddresses: azure-mgmt-resource's template
    // ".../providers/{namespace}/{parentResourcePath}/{type}/{name}" with an empty parent path.
    [Fact]
    public async Task ArmResource_EmptyParentPathSegment_ServedAsWithout()
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-empty-segment");
        await Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/publicIPAddresses", "ip1"), new { publicIPAllocationMethod = "Static" }, "Standard");
        using var http = fixture.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(
            $"{fixture.Emulator.BaseUri}subscriptions/{fixture.Emulator.SubscriptionId}/resourcegroups/rg-empty-segment/providers/Microsoft.Network//publicIPAddresses/ip1?api-version=2022-01-01"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Emulator.IssueToken("https://management.azure.com"));

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/providers/Microsoft.Network/publicIPAddresses/ip1", (string?)body["id"], StringComparison.Ordinal);
    }
}
