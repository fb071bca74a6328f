using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Network/networkInterfaces at 2024-05-01, from the x-ms-examples of
/// specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/networkInterface.json (PUT: 200/201 via
/// Azure-AsyncOperation; GET: 200; DELETE: 200/202/204 via Location). The workflow (CreateNetworkInterface) sends one
/// ipConfiguration with subnet and public IP plus the NSG, and reads the NIC's id; cleanup reads provisioningState.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class NetworkInterfaceConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.NetworkApiVersion;

    // examples/NetworkInterfaceCreate.json, its first ipConfiguration (subnet and public IP) and both flags. The
    // example's second ipConfiguration is left out: it names no subnet and no configuration is marked primary, which
    // Azure refuses for several configurations ("NetworkInterfaceMustHaveOneOneIPConfigAsPrimary", as quoted in
    // Azure/azure-sdk-for-go#259); the example omits what the service requires.
    [Fact]
    public async Task NetworkInterfaceCreate_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var (group, subnetId, publicIpId) = await PrerequisitesAsync(arm, "rg-spec-nic-create");
        var path = $"{group}/providers/Microsoft.Network/networkInterfaces/test-nic";
        var request = NicRequest(subnetId, publicIpId);
        request["properties"]!["enableAcceleratedNetworking"] = true;
        request["properties"]!["disableTcpStateTracking"] = true;

        var (status, body, headers) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());
        var operation = await arm.PollAsyncOperationAsync(headers.GetValues("Azure-AsyncOperation").Single());

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("Microsoft.Network/networkInterfaces", (string?)body["type"]);
        var configuration = body["properties"]!["ipConfigurations"]!.AsArray().Single()!;
        Assert.Equal($"/{path}/ipConfigurations/ipconfig1", (string?)configuration["id"]);
        Assert.True((bool?)configuration["properties"]!["primary"]);
        Assert.Equal("Dynamic", (string?)configuration["properties"]!["privateIPAllocationMethod"]);
        Assert.True((bool?)body["properties"]!["enableAcceleratedNetworking"]);
        Assert.True((bool?)body["properties"]!["disableTcpStateTracking"]);
        Assert.Equal("Succeeded", (string?)operation["status"]);
    }

    // examples/NetworkInterfaceCreate.json's two ipConfigurations, both given the subnet, none marked primary: refused
    // the way Azure refuses it (code and text as quoted in Azure/azure-sdk-for-go#259), not accepted as the example's
    // response suggests.
    [Fact]
    public async Task NetworkInterfaceCreate_SpecExampleTwoConfigurationsNonePrimary_RefusedAsAzureDoes()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var (group, subnetId, publicIpId) = await PrerequisitesAsync(arm, "rg-spec-nic-primary");
        var path = $"{group}/providers/Microsoft.Network/networkInterfaces/test-nic";
        var request = NicRequest(subnetId, publicIpId);
        request["properties"]!["ipConfigurations"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "ipconfig2",
            ["properties"] = new JsonObject { ["subnet"] = new JsonObject { ["id"] = subnetId } },
        });

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("NetworkInterfaceMustHaveOneOneIPConfigAsPrimary", (string?)body["error"]?["code"]);
        Assert.Equal(
            "Network Interface test-nic specifies multiple IPConfigurations but none of the IPConfigurations is specified as Primary.",
            (string?)body["error"]?["message"]);
    }

    // examples/NetworkInterfaceGet.json, after the workflow's own PUT (ipconfig1 with subnet and public IP, the NSG).
    [Fact]
    public async Task NetworkInterfaceGet_SpecExample_ReferencesAndStatePresent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var (group, subnetId, publicIpId) = await PrerequisitesAsync(arm, "rg-spec-nic-get");
        var nsgId = $"/{group}/providers/Microsoft.Network/networkSecurityGroups/nsg";
        (await arm.SendAsync(HttpMethod.Put, nsgId[1..], Api, """{"location":"eastus"}""")).Dispose();
        var path = $"{group}/providers/Microsoft.Network/networkInterfaces/test-nic";
        var request = NicRequest(subnetId, publicIpId);
        request["properties"]!["networkSecurityGroup"] = new JsonObject { ["id"] = nsgId };
        (await arm.SendAsync(HttpMethod.Put, path, Api, request.ToJsonString())).Dispose();

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        var configuration = body["properties"]!["ipConfigurations"]![0]!["properties"]!;
        Assert.Equal(subnetId, (string?)configuration["subnet"]?["id"]);
        Assert.Equal(publicIpId, (string?)configuration["publicIPAddress"]?["id"]);
        Assert.Equal("IPv4", (string?)configuration["privateIPAddressVersion"]);
        Assert.True(IPAddress.TryParse((string?)configuration["privateIPAddress"], out _));
        Assert.Equal(nsgId, (string?)body["properties"]?["networkSecurityGroup"]?["id"]);
        Assert.NotNull((string?)body["properties"]?["macAddress"]);
        Assert.NotNull(body["properties"]?["dnsSettings"]?["dnsServers"]);
    }

    // examples/NetworkInterfaceDelete.json (not in the index; networkInterface.json documents 200, 202, 204).
    [Fact]
    public async Task NetworkInterfaceDelete_SpecResponses_AcceptedThenRepeatIsNoContent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var (group, subnetId, publicIpId) = await PrerequisitesAsync(arm, "rg-spec-nic-delete");
        var path = $"{group}/providers/Microsoft.Network/networkInterfaces/test-nic";
        (await arm.SendAsync(HttpMethod.Put, path, Api, NicRequest(subnetId, publicIpId).ToJsonString())).Dispose();

        var (status, _, headers) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);
        var final = status == HttpStatusCode.Accepted ? await arm.PollLocationAsync(headers.Location!.ToString()) : status;
        var (repeat, _, _) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
        Assert.Equal(HttpStatusCode.NoContent, repeat);
    }

    private static JsonObject NicRequest(string subnetId, string publicIpId) => new()
    {
        ["location"] = "eastus",
        ["properties"] = new JsonObject
        {
            ["ipConfigurations"] = new JsonArray(new JsonObject
            {
                ["name"] = "ipconfig1",
                ["properties"] = new JsonObject
                {
                    ["publicIPAddress"] = new JsonObject { ["id"] = publicIpId },
                    ["subnet"] = new JsonObject { ["id"] = subnetId },
                },
            }),
        },
    };

    /// <summary>The example's references: VNet <c>rg1-vnet</c> with subnet <c>default</c>, public IP <c>test-ip</c>.</summary>
    private static async Task<(string Group, string SubnetId, string PublicIpId)> PrerequisitesAsync(SpecClient arm, string name)
    {
        var group = await arm.GroupAsync(name);
        var vnet = $"{group}/providers/Microsoft.Network/virtualNetworks/rg1-vnet";
        (await arm.SendAsync(HttpMethod.Put, vnet, Api, """{"location":"eastus","properties":{"addressSpace":{"addressPrefixes":["172.20.0.0/16"]},"subnets":[{"name":"default","properties":{"addressPrefix":"172.20.2.0/24"}}]}}""")).Dispose();
        var ip = $"{group}/providers/Microsoft.Network/publicIPAddresses/test-ip";
        (await arm.SendAsync(HttpMethod.Put, ip, Api, """{"location":"eastus","sku":{"name":"Standard"},"properties":{"publicIPAllocationMethod":"Static"}}""")).Dispose();
        return (group, $"/{vnet}/subnets/default", "/" + ip);
    }
}
