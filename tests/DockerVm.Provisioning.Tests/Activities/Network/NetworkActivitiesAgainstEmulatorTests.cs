using System.Text.Json;
using Azure.Core;
using Azure.ResourceManager;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Tests.Orchestrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Activities.Network;

/// <summary>The network activities' request bodies against the emulator, which refuses them the way Microsoft.Network
/// does (issue 11, part B).</summary>
[Collection(EmulatorTestGroup.Name)]
public sealed class NetworkActivitiesAgainstEmulatorTests(EmulatorFixture fixture)
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    // allowAnySource: '*' and 'Internet' are valid only in the singular sourceAddressPrefix
    // (SecurityRuleParameterContainsUnsupportedValue in the plural; kubernetes/kubernetes#71789).
    [Theory]
    [InlineData("*")]
    [InlineData("Internet")]
    public async Task CreateNetworkSecurityGroup_AnySourceForm_AcceptedWithTagInSingularPrefix(string source)
    {
        var (arm, azure) = Clients();
        var name = $"any-{source.Trim('*')}nsg".ToLowerInvariant();
        await EnsureGroupAsync(arm, azure, "rg-nsg-any");

        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(
            new TestActivityContext("i"), new CreateNetworkSecurityGroupInput("rg-nsg-any", "westeurope", name, ["0.0.0.0/0", source], 2376, NoTags));

        var rules = await RulesAsync(arm, nsg.ResourceId);
        Assert.Contains(rules, r => r.Prefix == source && r.Port == "22");
        Assert.Contains(rules, r => r.Prefix == source && r.Port == "2376");
        Assert.Contains(rules, r => r.Prefixes.SequenceEqual(["0.0.0.0/0"]) && r.Port == "22");
        Assert.Equal(4, rules.Count);
    }

    // One rule cannot mix families (ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies): one rule per family.
    [Fact]
    public async Task CreateNetworkSecurityGroup_Ipv4AndIpv6Sources_OneRulePerFamilyAccepted()
    {
        var (arm, azure) = Clients();
        await EnsureGroupAsync(arm, azure, "rg-nsg-families");

        var nsg = await new CreateNetworkSecurityGroup(arm, azure).RunAsync(
            new TestActivityContext("i"),
            new CreateNetworkSecurityGroupInput("rg-nsg-families", "westeurope", "families-nsg", ["203.0.113.0/24", "2001:db8::/48", "198.51.100.7"], 2376, NoTags));

        var rules = await RulesAsync(arm, nsg.ResourceId);
        Assert.Equal(4, rules.Count);
        Assert.Contains(rules, r => r.Name == "allow-ssh" && r.Prefixes.SequenceEqual(["203.0.113.0/24", "198.51.100.7"]));
        Assert.Contains(rules, r => r.Name == "allow-docker-tls-ipv6" && r.Prefixes.SequenceEqual(["2001:db8::/48"]));
    }

    // DNS labels are unique per region across Azure: the bare VM name collided between resource groups (DnsRecordInUse).
    [Fact]
    public async Task CreatePublicIpAddress_SameVmNameInTwoResourceGroups_BothGetHashedFqdnsFromArm()
    {
        var (arm, azure) = Clients();
        var names = new[] { new DockerVmResourceNames("rg-dns-one", "samehost"), new DockerVmResourceNames("rg-dns-two", "samehost") };
        var fqdns = new List<string>();
        foreach (var vm in names)
        {
            await EnsureGroupAsync(arm, azure, vm.ResourceGroup);
            fqdns.Add(await CreateIpAsync(arm, azure, vm));
        }

        var again = await CreateIpAsync(arm, azure, names[0]);

        Assert.NotEqual(fqdns[0], fqdns[1]);
        Assert.All(fqdns, f => Assert.Matches(@"^samehost\.[a-z0-9]{16}\.westeurope\.cloudapp\.azure\.com$", f));
        Assert.Equal(fqdns[0], again);
    }

    /// <summary>Starts the PUT, then reads the address as the workflow's check does (network operations are instant here).</summary>
    private static async Task<string> CreateIpAsync(ArmClient arm, IOptions<AzureOptions> azure, DockerVmResourceNames vm)
    {
        var ip = await new CreatePublicIpAddress(arm, azure).RunAsync(
            new TestActivityContext("i"), new CreatePublicIpAddressInput(vm.ResourceGroup, "westeurope", vm.PublicIpAddress, vm.DnsLabel, NoTags));
        var ready = await new GetPublicIpAddress(arm).RunAsync(new TestActivityContext("i"), new GetPublicIpAddressInput(ip.ResourceId));
        Assert.True(ready.State.IsSucceeded, ready.State.ProvisioningState);
        return ready.Fqdn!;
    }

    private (ArmClient Arm, IOptions<AzureOptions> Azure) Clients()
    {
        fixture.Emulator.Control.ClearFaults();
        var services = EmulatorClients.Services(fixture.Emulator);
        return (services.GetRequiredService<ArmClient>(), services.GetRequiredService<IOptions<AzureOptions>>());
    }

    private static Task EnsureGroupAsync(ArmClient arm, IOptions<AzureOptions> azure, string group) =>
        EmulatorClients.CreateResourceGroupAsync(arm, azure.Value.SubscriptionId, group);

    private static async Task<List<(string Name, string? Prefix, IReadOnlyList<string> Prefixes, string Port)>> RulesAsync(ArmClient arm, string nsgId)
    {
        var nsg = (await arm.GetGenericResource(new ResourceIdentifier(nsgId)).GetAsync()).Value;
        using var json = JsonDocument.Parse(nsg.Data.Properties.ToString());
        return json.RootElement.GetProperty("securityRules").EnumerateArray().Select(rule =>
        {
            var p = rule.GetProperty("properties");
            var single = p.TryGetProperty("sourceAddressPrefix", out var one) ? one.GetString() : null;
            IReadOnlyList<string> many = p.TryGetProperty("sourceAddressPrefixes", out var list) ? [.. list.EnumerateArray().Select(e => e.GetString()!)] : [];
            return (rule.GetProperty("name").GetString()!, single, many, p.GetProperty("destinationPortRange").GetString()!);
        }).ToList();
    }
}
