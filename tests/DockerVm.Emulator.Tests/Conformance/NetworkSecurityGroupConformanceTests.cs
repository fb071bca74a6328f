using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Network/networkSecurityGroups at 2024-05-01, from the x-ms-examples of
/// specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/networkSecurityGroup.json
/// (PUT: 200/201, final state via Azure-AsyncOperation; GET: 200; DELETE: 200/202/204, final state via Location).
/// The workflow sends the PUT (CreateNetworkSecurityGroup) and the DELETE and GET of cleanup, and reads the NSG's id
/// and properties.provisioningState.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class NetworkSecurityGroupConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.NetworkApiVersion;

    // examples/NetworkSecurityGroupCreate.json: a body with a location only.
    [Fact]
    public async Task NetworkSecurityGroupCreate_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-nsg-create");
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";

        var (status, body, headers) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, """{"location":"eastus"}""");

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("Microsoft.Network/networkSecurityGroups", (string?)body["type"]);
        Assert.Equal("eastus", (string?)body["location"]);
        Assert.NotNull((string?)body["properties"]?["provisioningState"]);
        Assert.Empty(body["properties"]!["securityRules"]!.AsArray());
        Assert.Equal(
            ["AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound", "AllowVnetOutBound", "AllowInternetOutBound", "DenyAllOutBound"],
            body["properties"]!["defaultSecurityRules"]!.AsArray().Select(r => (string?)r!["name"]));
        var operation = await arm.PollAsyncOperationAsync(headers.GetValues("Azure-AsyncOperation").Single());
        Assert.Equal("Succeeded", (string?)operation["status"]);
    }

    // examples/NetworkSecurityGroupCreateWithRule.json: one inbound rule, singular prefixes and port ranges.
    [Fact]
    public async Task NetworkSecurityGroupCreateWithRule_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-nsg-rule");
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";
        var request = new JsonObject
        {
            ["location"] = "eastus",
            ["properties"] = new JsonObject
            {
                ["securityRules"] = new JsonArray(new JsonObject
                {
                    ["name"] = "rule1",
                    ["properties"] = new JsonObject
                    {
                        ["protocol"] = "*",
                        ["sourceAddressPrefix"] = "*",
                        ["destinationAddressPrefix"] = "*",
                        ["access"] = "Allow",
                        ["destinationPortRange"] = "80",
                        ["sourcePortRange"] = "*",
                        ["priority"] = 130,
                        ["direction"] = "Inbound",
                    },
                }),
            },
        };

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        var rule = body["properties"]!["securityRules"]!.AsArray().Single()!;
        Assert.Equal("rule1", (string?)rule["name"]);
        Assert.Equal($"/{path}/securityRules/rule1", (string?)rule["id"]);
        Assert.Equal("80", (string?)rule["properties"]!["destinationPortRange"]);
        Assert.Equal(130, (int?)rule["properties"]!["priority"]);
        Assert.NotNull((string?)rule["properties"]!["provisioningState"]);
    }

    // examples/NetworkSecurityGroupGet.json.
    [Fact]
    public async Task NetworkSecurityGroupGet_SpecExample_DocumentedPropertiesPresent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-nsg-get");
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";
        (await arm.SendAsync(HttpMethod.Put, path, Api, """{"location":"westus"}""")).Dispose();

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("testnsg", (string?)body["name"]);
        Assert.Equal("/" + path, (string?)body["id"]);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        Assert.NotNull(body["properties"]?["defaultSecurityRules"]);
    }

    // examples/NetworkSecurityGroupDelete.json (the index holds the 2024-07-01 copy; 2024-05-01 documents the same
    // responses): 202 with Location and Azure-AsyncOperation, 200, or 204 when the NSG does not exist.
    [Fact]
    public async Task NetworkSecurityGroupDelete_SpecExample_AcceptedThenLocationEndsAndRepeatIsNoContent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-nsg-delete");
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";
        (await arm.SendAsync(HttpMethod.Put, path, Api, """{"location":"eastus"}""")).Dispose();

        var (status, _, headers) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);
        var final = status == HttpStatusCode.Accepted ? await arm.PollLocationAsync(headers.Location!.ToString()) : status;
        var (repeat, _, _) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);
        var (gone, _, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
        Assert.Equal(HttpStatusCode.NoContent, repeat);
        Assert.Equal(HttpStatusCode.NotFound, gone);
        if (status == HttpStatusCode.Accepted)
        {
            Assert.Single(headers.GetValues("Azure-AsyncOperation"));
        }
    }

    // The workflow's own rule shape (CreateNetworkSecurityGroup.BuildProperties): IPv4 CIDRs in the plural
    // sourceAddressPrefixes, documented in networkSecurityGroup.json SecurityRulePropertiesFormat.
    [Fact]
    public async Task NetworkSecurityGroupCreate_PluralSourcePrefixes_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-nsg-plural");
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";
        var rule = new JsonObject
        {
            ["name"] = "allow-ssh",
            ["properties"] = new JsonObject
            {
                ["priority"] = 100,
                ["direction"] = "Inbound",
                ["access"] = "Allow",
                ["protocol"] = "Tcp",
                ["sourcePortRange"] = "*",
                ["destinationAddressPrefix"] = "*",
                ["destinationPortRange"] = "22",
                ["sourceAddressPrefixes"] = new JsonArray("203.0.113.0/24", "198.51.100.7/32"),
            },
        };
        var request = new JsonObject { ["location"] = "eastus", ["properties"] = new JsonObject { ["securityRules"] = new JsonArray(rule) } };

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal(
            ["203.0.113.0/24", "198.51.100.7/32"],
            body["properties"]!["securityRules"]![0]!["properties"]!["sourceAddressPrefixes"]!.AsArray().Select(p => (string?)p));
    }
}
