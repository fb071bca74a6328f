using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class SourceCidrCheckTests
{
    [Theory]
    [InlineData("10.0.0.1/8", "10.0.0.0/8")]
    [InlineData("203.0.113.77/25", "203.0.113.0/25")]
    [InlineData("2001:db8::1/48", "2001:db8::/48")]
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
    [InlineData("2001:db8::/48")]
    [InlineData("2001:db8::1")]
    public void Check_NetworkOrSingleAddress_Passes(string value) =>
        Assert.Null(SourceCidrCheck.Check(value, allowAnySource: false));
}
