using System.Text.Json.Nodes;
using Azure;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Network;

/// <summary><c>dnsSettings.domainNameLabelScope</c> (publicIpAddress.json, PublicIPAddressDnsSettings): a hash between
/// label and region, constant within the scope; a bare label stays unique per region (DnsRecordInUse).</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class PublicIpDnsScopeTests(EmulatorFixture fixture)
{
    [Fact]
    public async Task CreatePublicIp_ResourceGroupScopeSameLabelInTwoGroups_DistinctHashedFqdns()
    {
        var first = await PutAsync("rg-scope-a", "ip", "scoped-label", "ResourceGroupReuse");
        var second = await PutAsync("rg-scope-b", "ip", "scoped-label", "ResourceGroupReuse");
        var again = await PutAsync("rg-scope-a", "ip", "scoped-label", "ResourceGroupReuse");

        Assert.Matches(@"^scoped-label\.[a-z0-9]{16}\.westeurope\.cloudapp\.azure\.com$", first);
        Assert.Matches(@"^scoped-label\.[a-z0-9]{16}\.westeurope\.cloudapp\.azure\.com$", second);
        Assert.NotEqual(first, second);
        Assert.Equal(first, again);
    }

    [Fact]
    public async Task CreatePublicIp_ResourceGroupScopeSameLabelTwiceInOneGroup_DnsRecordInUse()
    {
        await PutAsync("rg-scope-same", "ip1", "twice-label", "ResourceGroupReuse");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => PutAsync("rg-scope-same", "ip2", "twice-label", "ResourceGroupReuse"));

        Assert.Equal(400, error.Status);
        Assert.Equal("DnsRecordInUse", error.ErrorCode);
    }

    [Fact]
    public async Task CreatePublicIp_TenantScopeSameLabelInTwoGroups_SameHashSoDnsRecordInUse()
    {
        await PutAsync("rg-tenant-a", "ip", "tenant-label", "TenantReuse");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => PutAsync("rg-tenant-b", "ip", "tenant-label", "TenantReuse"));

        Assert.Equal("DnsRecordInUse", error.ErrorCode);
    }

    [Fact]
    public async Task CreatePublicIp_NoScope_FqdnIsLabelAndRegionAndReuseRefused()
    {
        var fqdn = await PutAsync("rg-noscope-a", "ip", "bare-label", null);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => PutAsync("rg-noscope-b", "ip", "bare-label", null));

        Assert.Equal("bare-label.westeurope.cloudapp.azure.com", fqdn);
        Assert.Equal("DnsRecordInUse", error.ErrorCode);
        Assert.Equal("DNS record bare-label.westeurope.cloudapp.azure.com is already used by another public IP.", error.Message.Split('\n')[0]);
    }

    private async Task<string> PutAsync(string group, string name, string label, string? scope)
    {
        var arm = fixture.Arm();
        var resourceGroup = await Scenario.GroupAsync(arm, group);
        object dns = scope is null ? new { domainNameLabel = label } : new { domainNameLabel = label, domainNameLabelScope = scope };
        var ip = await Scenario.PutAsync(arm, Scenario.Id(resourceGroup, "Microsoft.Network/publicIPAddresses", name), new { publicIPAllocationMethod = "Static", dnsSettings = dns }, "Standard");
        return (string)ip.Data.Properties.ToObjectFromJson<JsonObject>()!["dnsSettings"]!["fqdn"]!;
    }
}
