using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Network/virtualNetworks at 2024-05-01, from the x-ms-examples of
/// specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/virtualNetwork.json (PUT: 200/201 via
/// Azure-AsyncOperation; DELETE: 200/202/204 via Location). The index holds these example files at 2024-03-01 and
/// 2024-07-01 only, identical but for the api-version. The workflow (CreateVirtualNetwork) reads the VNet's id and
/// derives the subnet id from it; cleanup reads properties.provisioningState.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class VirtualNetworkConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.NetworkApiVersion;

    // examples/VirtualNetworkCreate.json: an address space and a flow timeout, no subnets.
    [Fact]
    public async Task VirtualNetworkCreate_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vnet-create");
        var path = $"{group}/providers/Microsoft.Network/virtualNetworks/test-vnet";
        var request = new JsonObject
        {
            ["location"] = "eastus",
            ["properties"] = new JsonObject
            {
                ["addressSpace"] = new JsonObject { ["addressPrefixes"] = new JsonArray("10.0.0.0/16") },
                ["flowTimeoutInMinutes"] = 10,
            },
        };

        var (status, body, headers) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());
        var operation = await arm.PollAsyncOperationAsync(headers.GetValues("Azure-AsyncOperation").Single());

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal(["10.0.0.0/16"], body["properties"]!["addressSpace"]!["addressPrefixes"]!.AsArray().Select(p => (string?)p));
        Assert.Equal(10, (int?)body["properties"]!["flowTimeoutInMinutes"]);
        Assert.Empty(body["properties"]!["subnets"]!.AsArray());
        Assert.Equal("Succeeded", (string?)operation["status"]);
    }

    // examples/VirtualNetworkCreateSubnet.json: the workflow's shape (one /16 and one /24 subnet).
    [Fact]
    public async Task VirtualNetworkCreateSubnet_SpecExample_SubnetIdUnderVnetId()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vnet-subnet");
        var path = $"{group}/providers/Microsoft.Network/virtualNetworks/test-vnet";
        var request = new JsonObject
        {
            ["location"] = "eastus",
            ["properties"] = new JsonObject
            {
                ["addressSpace"] = new JsonObject { ["addressPrefixes"] = new JsonArray("10.0.0.0/16") },
                ["subnets"] = new JsonArray(new JsonObject { ["name"] = "test-1", ["properties"] = new JsonObject { ["addressPrefix"] = "10.0.0.0/24" } }),
            },
        };

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());
        var (_, final, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        var subnet = body["properties"]!["subnets"]!.AsArray().Single()!;
        Assert.Equal("test-1", (string?)subnet["name"]);
        Assert.Equal($"{body["id"]}/subnets/test-1", (string?)subnet["id"]);
        Assert.Equal("10.0.0.0/24", (string?)subnet["properties"]!["addressPrefix"]);
        Assert.Equal("Succeeded", (string?)final["properties"]!["provisioningState"]);
        Assert.Equal("Succeeded", (string?)final["properties"]!["subnets"]![0]!["properties"]!["provisioningState"]);
    }

    // examples/VirtualNetworkDelete.json: 200, 202 with Location, or 204.
    [Fact]
    public async Task VirtualNetworkDelete_SpecExample_AcceptedThenGone()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-vnet-delete");
        var path = $"{group}/providers/Microsoft.Network/virtualNetworks/test-vnet";
        (await arm.SendAsync(HttpMethod.Put, path, Api, """{"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["10.0.0.0/16"]}}}""")).Dispose();

        var (status, _, headers) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);
        var final = status == HttpStatusCode.Accepted ? await arm.PollLocationAsync(headers.Location!.ToString()) : status;
        var (gone, _, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
        Assert.Equal(HttpStatusCode.NotFound, gone);
    }
}
