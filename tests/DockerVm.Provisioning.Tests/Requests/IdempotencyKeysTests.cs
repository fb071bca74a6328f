using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class IdempotencyKeysTests
{
    [Theory]
    [InlineData("order-42", true)]
    [InlineData("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", true)]
    [InlineData("a.b:c_d-e", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("slash/", false)]
    public void IsValid_FollowsTheFormat(string key, bool expected) =>
        Assert.Equal(expected, IdempotencyKeys.IsValid(key));

    [Fact]
    public void IsValid_LengthLimit_IsOneHundred()
    {
        Assert.True(IdempotencyKeys.IsValid(new string('k', 100)));
        Assert.False(IdempotencyKeys.IsValid(new string('k', 101)));
    }
}
