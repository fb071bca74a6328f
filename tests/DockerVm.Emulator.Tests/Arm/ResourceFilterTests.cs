using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Arm;

/// <summary>
/// Resources - List with <c>$filter</c>, as <c>az resource list --resource-type/--name/--tag</c> sends it; a filter ARM
/// cannot read is 400 InvalidFilterInQueryString (quoted in azure-sdk-for-net#18748, azure-sdk-for-go#2480).
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class ResourceFilterTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task ResourcesList_FilterByResourceType_ReturnsOnlyThatType()
    {
        var group = await GroupWithTwoTypesAsync("rg-filter-type");

        var names = await ListAsync(group, "resourceType eq 'Microsoft.Network/publicIPAddresses'");

        Assert.Equal(["f-ip"], names);
    }

    [Fact]
    public async Task ResourcesList_FilterByNameAndTag_ReturnsOnlyTheMatch()
    {
        var group = await GroupWithTwoTypesAsync("rg-filter-name");

        var byName = await ListAsync(group, "name eq 'f-nsg'");
        var byTag = await ListAsync(group, "tagName eq 'role' and tagValue eq 'edge'");

        Assert.Equal(["f-nsg"], byName);
        Assert.Equal(["f-ip"], byTag);
    }

    [Fact]
    public async Task ResourcesList_UnsupportedFilter_InvalidFilterInQueryString()
    {
        using var http = fixture.Http();
        using var request = Request($"subscriptions/{fixture.Emulator.SubscriptionId}/resources?api-version=2021-04-01&$filter=identity eq 'x'");

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidFilterInQueryString", (string?)body["error"]?["code"]);
        Assert.Equal("Invalid $filter 'identity eq 'x'' specified in the query string.", (string?)body["error"]?["message"]);
    }

    private async Task<string> GroupWithTwoTypesAsync(string name)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, name);
        var ip = new Azure.ResourceManager.Resources.GenericResourceData(Scenario.Location)
        {
            Properties = BinaryData.FromObjectAsJson(new { publicIPAllocationMethod = "Static" }),
            Sku = new Azure.ResourceManager.Resources.Models.ResourcesSku { Name = "Standard" },
            Tags = { ["role"] = "edge" },
        };
        await arm.GetGenericResources().CreateOrUpdateAsync(Azure.WaitUntil.Completed, Scenario.Id(group, "Microsoft.Network/publicIPAddresses", "f-ip"), ip);
        await Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", "f-nsg"), new { securityRules = Array.Empty<object>() });
        return name;
    }

    private async Task<string[]> ListAsync(string group, string filter)
    {
        using var http = fixture.Http();
        using var request = Request($"subscriptions/{fixture.Emulator.SubscriptionId}/resourceGroups/{group}/resources?api-version=2021-04-01&$filter={Uri.EscapeDataString(filter)}");

        using var response = await http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. body["value"]!.AsArray().Select(r => (string)r!["name"]!)];
    }

    private HttpRequestMessage Request(string relative)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(relative, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Emulator.IssueToken("https://management.azure.com"));
        return request;
    }
}
