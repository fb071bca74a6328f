using System.Text.RegularExpressions;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Tests.Infrastructure;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed partial class InstanceIdsTests
{
    [Fact]
    public void ForProvisioning_SameTargetUnderDifferentIdempotencyKeys_SameId()
    {
        var spec = TestSpecs.Spec() with { IdempotencyKey = "order-42" };

        Assert.Equal(InstanceIds.ForProvisioning(spec), InstanceIds.ForProvisioning(spec with { IdempotencyKey = "order-43" }));
        Assert.Equal(InstanceIds.ForProvisioning(spec), InstanceIds.ForProvisioning(spec with { IdempotencyKey = null }));
        Assert.DoesNotContain("order", InstanceIds.ForProvisioning(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void ForTarget_ReadableAndCaseInsensitive()
    {
        Assert.Equal("dockervm-vm1.rg-docker", InstanceIds.ForTarget("RG-Docker", "vm1"));
        Assert.Equal(InstanceIds.ForTarget("rg-docker", "vm1"), InstanceIds.ForTarget("RG-DOCKER", "vm1"));
    }

    [Fact]
    public void ForTarget_HyphenatedNames_DoNotCollide()
    {
        Assert.NotEqual(InstanceIds.ForTarget("a-b", "c1x"), InstanceIds.ForTarget("a", "b-c1x"));
    }

    [Theory]
    [InlineData("rg(prod)", "vm1")]
    [InlineData("rg-ünïcode", "vm1")]
    [InlineData("rg.with.dots", "vm1")]
    public void ForTarget_AnyValidInput_IsShortUrlSafeAndStable(string rg, string name)
    {
        var id = InstanceIds.ForTarget(rg, name);

        Assert.Matches(UrlSafe(), id);
        Assert.True(id.Length <= 160, id);
        Assert.Equal(id, InstanceIds.ForTarget(rg, name));
    }

    [GeneratedRegex("^dockervm-[a-z0-9._-]+$")]
    private static partial Regex UrlSafe();
}
