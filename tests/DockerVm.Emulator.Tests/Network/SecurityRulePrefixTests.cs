using Azure;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Network;

/// <summary>NSG address prefixes refused and accepted like Microsoft.Network does, through the generic resource client.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class SecurityRulePrefixTests(EmulatorFixture fixture)
{
    // kubernetes/kubernetes#71789 (reverted by #71899: "sourceAddressPrefixes only supports CIDR or source IP ranges"),
    // hashicorp/terraform-provider-azurerm#5617.
    [Theory]
    [InlineData("sourceAddressPrefixes", "*", "SourceAddressPrefix")]
    [InlineData("sourceAddressPrefixes", "Internet", "SourceAddressPrefix")]
    [InlineData("destinationAddressPrefixes", "VirtualNetwork", "DestinationAddressPrefix")]
    public async Task CreateNsg_TagInPluralPrefixes_SecurityRuleParameterContainsUnsupportedValue(string property, string tag, string parameter)
    {
        var rule = Rule(("sourceAddressPrefix", "203.0.113.0/24"), ("destinationAddressPrefix", "*"));
        rule.Remove(property[..^1]);
        rule[property] = new[] { "198.51.100.0/24", tag };

        var error = await PutFailsAsync($"plural-{tag.Trim('*')}-nsg".ToLowerInvariant(), rule);

        Assert.Equal(400, error.Status);
        Assert.Equal("SecurityRuleParameterContainsUnsupportedValue", error.ErrorCode);
        Assert.Contains($"Security rule parameter {parameter} for rule with Id ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"cannot specify existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. Unsupported value used: {tag}.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("Internet")]
    [InlineData("VirtualNetwork")]
    public async Task CreateNsg_TagInSingularPrefix_Accepted(string tag)
    {
        var nsg = await PutAsync($"singular-{tag.Trim('*')}-nsg".ToLowerInvariant(), Rule(("sourceAddressPrefix", tag), ("destinationAddressPrefix", "*")));

        Assert.Contains(tag, nsg.Data.Properties.ToString(), StringComparison.Ordinal);
    }

    // IPv6 is valid in a rule of its own.
    [Fact]
    public async Task CreateNsg_Ipv6PrefixesInOwnRule_Accepted()
    {
        var rule = Rule(("destinationAddressPrefix", "*"));
        rule["sourceAddressPrefixes"] = new[] { "2001:db8::/48", "2001:db8:1::7" };

        var nsg = await PutAsync("ipv6-nsg", rule);

        Assert.Contains("2001:db8::/48", nsg.Data.Properties.ToString(), StringComparison.Ordinal);
    }

    // gardener/gardener-extension-provider-azure#397, hashicorp/terraform-provider-azurerm#12534.
    [Theory]
    [InlineData("sourceAddressPrefixes", "203.0.113.0/24", "2001:db8::/48")]
    [InlineData("sourceAddressPrefixes", "0.0.0.0/0", "::/0")]
    [InlineData("destinationAddressPrefix", "203.0.113.0/24", "2001:db8::1")]
    public async Task CreateNsg_Ipv4AndIpv6InOneRule_ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies(string where, string ipv4, string ipv6)
    {
        var rule = Rule(("destinationAddressPrefix", "*"));
        if (where == "sourceAddressPrefixes")
        {
            rule["sourceAddressPrefixes"] = new[] { ipv4, ipv6 };
        }
        else
        {
            rule["sourceAddressPrefix"] = ipv4;
            rule["destinationAddressPrefix"] = ipv6;
        }

        var error = await PutFailsAsync($"mixed-{where.Length}-{ipv6.Length}-nsg", rule);

        Assert.Equal(400, error.Status);
        Assert.Equal("ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies", error.ErrorCode);
        Assert.Contains("contains IP addresses or prefixes that belong to different address families. All IP addresses or prefixes in the resource should belong to the same address family.", error.Message, StringComparison.Ordinal);
    }

    // 'Any' is no tag: ARM answers SecurityRuleInvalidAddressPrefix (ernestio/ernest#473); '*' is the spelling.
    [Theory]
    [InlineData("Any")]
    [InlineData("10.0.0")]
    [InlineData("2001:db8::/129")]
    public async Task CreateNsg_NotAnAddressPrefix_SecurityRuleInvalidAddressPrefix(string prefix)
    {
        var error = await PutFailsAsync($"invalid-{prefix.Length}-nsg", Rule(("sourceAddressPrefix", prefix), ("destinationAddressPrefix", "*")));

        Assert.Equal("SecurityRuleInvalidAddressPrefix", error.ErrorCode);
    }

    private static Dictionary<string, object> Rule(params (string Key, object Value)[] prefixes)
    {
        var rule = new Dictionary<string, object>
        {
            ["protocol"] = "Tcp",
            ["access"] = "Allow",
            ["direction"] = "Inbound",
            ["priority"] = 100,
            ["sourcePortRange"] = "*",
            ["destinationPortRange"] = "22",
        };
        foreach (var (key, value) in prefixes)
        {
            rule[key] = value;
        }

        return rule;
    }

    private async Task<GenericResource> PutAsync(string name, Dictionary<string, object> rule)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, "rg-nsg-prefixes");
        return await Scenario.PutAsync(arm, Scenario.Id(group, "Microsoft.Network/networkSecurityGroups", name), new
        {
            securityRules = new[] { new { name = "rule", properties = rule } },
        });
    }

    private async Task<RequestFailedException> PutFailsAsync(string name, Dictionary<string, object> rule) =>
        await Assert.ThrowsAsync<RequestFailedException>(() => PutAsync(name, rule));
}
