using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class RequestFieldPathTests
{
    [Theory]
    [InlineData("$.allowedSourceCidrs[1]", "allowedSourceCidrs[1]")]
    [InlineData("$.callback.url", "callback.url")]
    [InlineData("$['odd name']", "['odd name']")]
    [InlineData("$", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void FromJsonPath_DefaultRoot_NamesTheRootEmpty(string? jsonPath, string expected) =>
        Assert.Equal(expected, RequestFieldPath.FromJsonPath(jsonPath));

    [Theory]
    [InlineData("$", "$")]
    [InlineData("", "$")]
    [InlineData("$.name", "name")]
    public void FromJsonPath_DollarRoot_NamesTheRootDollar(string jsonPath, string expected) =>
        Assert.Equal(expected, RequestFieldPath.FromJsonPath(jsonPath, root: "$"));
}
