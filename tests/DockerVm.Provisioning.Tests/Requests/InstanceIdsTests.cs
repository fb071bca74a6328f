using System.Text.RegularExpressions;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed partial class InstanceIdsTests
{
    [Fact]
    public void ForProvisioning_SameIdempotencyKey_SameId()
    {
        var first = InstanceIds.ForProvisioning("rg-a", "vm1", "order-42");
        var second = InstanceIds.ForProvisioning("rg-b", "vm2", "order-42");

        Assert.Equal(first, second);
        Assert.StartsWith("dockervm-k-", first, StringComparison.Ordinal);
        Assert.DoesNotContain("order", first, StringComparison.Ordinal);
    }

    [Fact]
    public void ForProvisioning_DifferentIdempotencyKeys_DifferentIds()
    {
        Assert.NotEqual(InstanceIds.ForProvisioning("rg", "vm1", "Order-42"), InstanceIds.ForProvisioning("rg", "vm1", "order-42"));
    }

    [Fact]
    public void ForProvisioning_NoKey_ReadableAndCaseInsensitive()
    {
        Assert.Equal("dockervm-vm1.rg-docker", InstanceIds.ForProvisioning("RG-Docker", "vm1", null));
        Assert.Equal(InstanceIds.ForProvisioning("rg-docker", "vm1", null), InstanceIds.ForProvisioning("RG-DOCKER", "vm1", null));
    }

    [Fact]
    public void ForProvisioning_HyphenatedNames_DoNotCollide()
    {
        Assert.NotEqual(InstanceIds.ForProvisioning("a-b", "c1x", null), InstanceIds.ForProvisioning("a", "b-c1x", null));
    }

    [Theory]
    [InlineData("rg(prod)", "vm1", null)]
    [InlineData("rg-ünïcode", "vm1", null)]
    [InlineData("rg", "vm1", "key:with.all_chars-1")]
    [InlineData("rg.with.dots", "vm1", null)]
    public void ForProvisioning_AnyValidInput_IsShortUrlSafeAndStable(string rg, string name, string? key)
    {
        var id = InstanceIds.ForProvisioning(rg, name, key);

        Assert.Matches(UrlSafe(), id);
        Assert.True(id.Length <= 160, id);
        Assert.Equal(id, InstanceIds.ForProvisioning(rg, name, key));
    }

    [GeneratedRegex("^dockervm-[a-z0-9._-]+$")]
    private static partial Regex UrlSafe();
}
