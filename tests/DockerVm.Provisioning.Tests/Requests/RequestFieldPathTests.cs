using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Tests.Requests;

public sealed class RequestFieldPathTests
{
    [Theory]
    [InlineData("$.allowedSourceCidrs[1]", "allowedSourceCidrs[1]")]
    [InlineData("$.callback.url", "callback.url")]
    [InlineData("$['odd name']", "['odd name']")]
    [InlineData("$.name", "name")]
    [InlineData("$", "$")]
    [InlineData("", "$")]
    [InlineData(null, "$")]
    public void FromJsonPath_AnyDoor_NamesTheRootDollar(string? jsonPath, string expected) =>
        Assert.Equal(expected, RequestFieldPath.FromJsonPath(jsonPath));

    [Theory]
    [InlineData("$", "name", "name")]
    [InlineData("callback", "url", "callback.url")]
    [InlineData("data.callback", "url", "data.callback.url")]
    public void Member_UnderParent_JoinsWithADot(string parent, string name, string expected) =>
        Assert.Equal(expected, RequestFieldPath.Member(parent, name));

    [Theory]
    [InlineData("allowedSourceCidrs", 2, "allowedSourceCidrs[2]")]
    [InlineData("$", 0, "[0]")]
    public void Item_UnderParent_AppendsTheIndex(string parent, int index, string expected) =>
        Assert.Equal(expected, RequestFieldPath.Item(parent, index));
}
