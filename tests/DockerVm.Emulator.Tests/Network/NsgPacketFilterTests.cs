using System.Net;
using DockerVm.Emulator.Network;

namespace DockerVm.Emulator.Tests.Network;

/// <summary>Service tags as netfilter sources for real-Docker mode's packet filters (learn.microsoft.com, "Virtual
/// network service tags": VirtualNetwork is the VNet's address space, AzureLoadBalancer 168.63.129.16, Internet the
/// rest).</summary>
public sealed class NsgPacketFilterTests
{
    private static readonly IReadOnlyList<IPNetwork> Vnet = [IPNetwork.Parse("10.0.0.0/16")];

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("198.19.0.1", true)]
    [InlineData("10.0.200.1", false)]
    [InlineData("168.63.129.16", false)]
    [InlineData("168.63.129.17", true)]
    public void Sources_InternetTag_IsEveryAddressButTheVnetAndTheLoadBalancer(string address, bool covered)
    {
        var cidrs = NsgPacketFilter.Sources("Internet", Vnet).Select(IPNetwork.Parse).ToList();

        Assert.Equal(covered, cidrs.Any(c => c.Contains(IPAddress.Parse(address))));
        Assert.True(cidrs.Count < 64, $"{cidrs.Count} CIDRs");
    }

    [Theory]
    [InlineData("*", "")]
    [InlineData("VirtualNetwork", "10.0.0.0/16")]
    [InlineData("AzureLoadBalancer", "168.63.129.16/32")]
    [InlineData("203.0.113.0/24", "203.0.113.0/24")]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    public void Sources_PrefixOrTag_BecomesTheNetfilterSource(string prefix, string expected)
    {
        Assert.Equal([expected], NsgPacketFilter.Sources(prefix, Vnet));
    }

    [Theory]
    [InlineData("2001:db8::/32")]
    [InlineData("AzureCloud")]
    public void Sources_Ipv6OrUnknownTag_MatchesNothing(string prefix)
    {
        Assert.Empty(NsgPacketFilter.Sources(prefix, Vnet));
    }
}
