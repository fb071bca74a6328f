using System.Net;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Resources/resourceGroups at 2022-09-01 (the version Azure.ResourceManager 1.7.0 sends), from
/// specification/resources/resource-manager/Microsoft.Resources/stable/2022-09-01/resources.json. The workflow
/// (EnsureResourceGroup) asks whether the group exists (ResourceGroups_Get: 200, or 404) and creates it when missing
/// (ResourceGroups_CreateOrUpdate: 200/201), reading the group's id.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class ResourceGroupConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.ResourcesApiVersion;

    // examples/CreateResourceGroup.json: a location only; 201 when created, 200 when it already existed.
    [Fact]
    public async Task CreateResourceGroup_SpecExample_CreatedThenOkWithDocumentedProperties()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var path = arm.GroupPath("my-resource-group");

        var (created, body, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, """{"location":"eastus"}""");
        var (again, _, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, """{"location":"eastus"}""");

        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("my-resource-group", (string?)body["name"]);
        Assert.Equal("eastus", (string?)body["location"]);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
    }

    // ResourceGroups_Get (resources.json: 200 with the ResourceGroup), and the 404 EnsureResourceGroup takes for "missing".
    [Fact]
    public async Task GetResourceGroup_SpecResponses_OkWhenPresentNotFoundWhenMissing()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var path = await arm.GroupAsync("rg-spec-group-get");

        var (present, body, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);
        var (missing, error, _) = await arm.SendJsonAsync(HttpMethod.Get, arm.GroupPath("rg-spec-group-missing"), Api);

        Assert.Equal(HttpStatusCode.OK, present);
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("ResourceGroupNotFound", (string?)error["error"]?["code"]);
    }

    // ResourceGroups_CheckExistence (resources.json: HEAD answers 204 or 404).
    [Fact]
    public async Task CheckResourceGroupExistence_SpecResponses_NoContentOrNotFound()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var path = await arm.GroupAsync("rg-spec-group-head");

        using var present = await arm.SendAsync(HttpMethod.Head, path, Api);
        using var missing = await arm.SendAsync(HttpMethod.Head, arm.GroupPath("rg-spec-group-nothere"), Api);

        Assert.Equal(HttpStatusCode.NoContent, present.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
