using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// Microsoft.Network/publicIPAddresses at 2024-05-01, from the x-ms-examples of
/// specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/publicIpAddress.json (PUT: 200/201 via
/// Azure-AsyncOperation; GET: 200; DELETE: 200/202 with Location/204). The workflow (CreatePublicIpAddress) reads
/// properties.ipAddress and properties.dnsSettings.fqdn from the PUT's final resource, and provisioningState in cleanup.
/// </summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class PublicIpAddressConformanceTests(EmulatorFixture fixture)
{
    private const string Api = SpecClient.NetworkApiVersion;

    // examples/PublicIpAddressCreateDnsWithDomainNameLabelScope.json: a label with a scope, nothing else. The FQDN
    // carries a hash between label and region (PublicIPAddressDnsSettings.domainNameLabelScope).
    [Fact]
    public async Task PublicIpAddressCreateDnsWithDomainNameLabelScope_SpecExample_AcceptedWithDocumentedStatus()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-ip-scope");
        var path = $"{group}/providers/Microsoft.Network/publicIPAddresses/test-ip";
        var label = $"dnslbl{Guid.NewGuid():N}"[..20];
        var request = new JsonObject
        {
            ["location"] = "eastus",
            ["properties"] = new JsonObject { ["dnsSettings"] = new JsonObject { ["domainNameLabel"] = label, ["domainNameLabelScope"] = "TenantReuse" } },
        };

        var (status, body, headers) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());
        var operation = await arm.PollAsyncOperationAsync(headers.GetValues("Azure-AsyncOperation").Single());
        var (_, final, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("Microsoft.Network/publicIPAddresses", (string?)body["type"]);
        Assert.Equal("Succeeded", (string?)operation["status"]);
        var dns = final["properties"]!["dnsSettings"]!;
        Assert.Equal("TenantReuse", (string?)dns["domainNameLabelScope"]);
        Assert.Matches($"^{label}\\.[a-z0-9]+\\.eastus\\.cloudapp\\.azure\\.com$", (string?)dns["fqdn"]);
        Assert.Equal("Succeeded", (string?)final["properties"]!["provisioningState"]);
    }

    // examples/PublicIpAddressCreateCustomizedValues.json: Standard SKU (tier Global), static IPv4, idle timeout, a zone.
    [Fact]
    public async Task PublicIpAddressCreateCustomizedValues_SpecExample_AcceptedWithAddressAndSku()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-ip-custom");
        var path = $"{group}/providers/Microsoft.Network/publicIPAddresses/test-ip";
        var request = new JsonObject
        {
            ["location"] = "eastus",
            ["zones"] = new JsonArray("1"),
            ["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = "Global" },
            ["properties"] = new JsonObject
            {
                ["publicIPAllocationMethod"] = "Static",
                ["idleTimeoutInMinutes"] = 10,
                ["publicIPAddressVersion"] = "IPv4",
            },
        };

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Put, path, Api, request.ToJsonString());

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        Assert.Equal("Standard", (string?)body["sku"]?["name"]);
        Assert.Equal("Global", (string?)body["sku"]?["tier"]);
        Assert.Equal(["1"], body["zones"]!.AsArray().Select(z => (string?)z));
        Assert.Equal("Static", (string?)body["properties"]?["publicIPAllocationMethod"]);
        Assert.Equal(10, (int?)body["properties"]?["idleTimeoutInMinutes"]);
        Assert.True(IPAddress.TryParse((string?)body["properties"]?["ipAddress"], out _));
    }

    // examples/PublicIpAddressGet.json, after the workflow's own PUT (Standard, static IPv4, label with
    // ResourceGroupReuse scope: CreatePublicIpAddress).
    [Fact]
    public async Task PublicIpAddressGet_SpecExample_AddressFqdnAndStatePresent()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-ip-get");
        var path = $"{group}/providers/Microsoft.Network/publicIPAddresses/testDNS-ip";
        var label = $"spec{Guid.NewGuid():N}"[..20];
        var request = new JsonObject
        {
            ["location"] = "westus",
            ["sku"] = new JsonObject { ["name"] = "Standard", ["tier"] = "Regional" },
            ["properties"] = new JsonObject
            {
                ["publicIPAllocationMethod"] = "Static",
                ["publicIPAddressVersion"] = "IPv4",
                ["dnsSettings"] = new JsonObject { ["domainNameLabel"] = label, ["domainNameLabelScope"] = "ResourceGroupReuse" },
            },
        };
        (await arm.SendAsync(HttpMethod.Put, path, Api, request.ToJsonString())).Dispose();

        var (status, body, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("testDNS-ip", (string?)body["name"]);
        Assert.Equal("Succeeded", (string?)body["properties"]?["provisioningState"]);
        Assert.Equal("IPv4", (string?)body["properties"]?["publicIPAddressVersion"]);
        Assert.True(IPAddress.TryParse((string?)body["properties"]?["ipAddress"], out _));
        Assert.StartsWith(label + ".", (string?)body["properties"]?["dnsSettings"]?["fqdn"], StringComparison.Ordinal);
    }

    // examples/PublicIpAddressDelete.json: 200, 202 with Location, or 204.
    [Fact]
    public async Task PublicIpAddressDelete_SpecExample_AcceptedThenGone()
    {
        using var arm = SpecClient.Arm(fixture.Emulator);
        var group = await arm.GroupAsync("rg-spec-ip-delete");
        var path = $"{group}/providers/Microsoft.Network/publicIPAddresses/test-ip";
        (await arm.SendAsync(HttpMethod.Put, path, Api, """{"location":"eastus","sku":{"name":"Standard"},"properties":{"publicIPAllocationMethod":"Static"}}""")).Dispose();

        var (status, _, headers) = await arm.SendJsonAsync(HttpMethod.Delete, path, Api);
        var final = status == HttpStatusCode.Accepted ? await arm.PollLocationAsync(headers.Location!.ToString()) : status;
        var (gone, error, _) = await arm.SendJsonAsync(HttpMethod.Get, path, Api);

        Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.NoContent });
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.Equal("ResourceNotFound", (string?)error["error"]?["code"]);
    }
}
