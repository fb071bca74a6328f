using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class SourceCidrCheckTests
{
    [Theory]
    [InlineData("10.0.0.1/8", "10.0.0.0/8")]
    [InlineData("203.0.113.77/25", "203.0.113.0/25")]
    public void Check_HostBitsSet_NamesTheNetworkAddress(string value, string network)
    {
        var failure = SourceCidrCheck.Check(value, allowAnySource: false);

        Assert.NotNull(failure);
        Assert.Equal(ValidationRules.CidrHostBits, failure.Value.Rule);
        Assert.EndsWith($"use the network address {network}.", failure.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("203.0.113.7")]
    [InlineData("203.0.113.0/24")]
    public void Check_NetworkOrSingleAddress_Passes(string value) =>
        Assert.Null(SourceCidrCheck.Check(value, allowAnySource: false));

    [Theory]
    [InlineData("2001:db8::/48")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8::1/32")]
    [InlineData("::/0")]
    [InlineData("::ffff:203.0.113.7")]
    public void Check_Ipv6_IsRefusedEvenWithTheOptIn(string value)
    {
        var failure = SourceCidrCheck.Check(value, allowAnySource: true);

        Assert.Equal(ValidationRules.CidrIpv6Unsupported, failure?.Rule);
        Assert.Contains("IPv4", failure!.Value.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0/1")]
    [InlineData("64.0.0.0/7")]
    public void Check_WiderThanASlash8_RefusedWithoutTheOptInOnly(string value)
    {
        Assert.Equal(ValidationRules.CidrTooBroad, SourceCidrCheck.Check(value, allowAnySource: false)?.Rule);
        Assert.Null(SourceCidrCheck.Check(value, allowAnySource: true));
    }

    [Theory]
    [InlineData(16_777_216L, "10.0.0.0/8")]
    [InlineData(16_777_216L, "10.0.0.0/8", "10.1.0.0/16", "10.255.255.255")]
    [InlineData(4_294_967_296L, "0.0.0.0/1", "128.0.0.0/1")]
    [InlineData(4_294_967_296L, "0.0.0.0/1", "0.0.0.0/0")]
    [InlineData(512L, "203.0.113.0/24", "198.51.100.0/24", "203.0.113.128/25")]
    [InlineData(2L, "255.255.255.255", "255.255.255.254")]
    [InlineData(1L, "0.0.0.0")]
    public void CoveredAddresses_OverlapsCountedOnce(long expected, params string[] cidrs) =>
        Assert.Equal(expected, SourceCidrCheck.CoveredAddresses(cidrs.Select(SourceCidrCheck.Range)));
}
