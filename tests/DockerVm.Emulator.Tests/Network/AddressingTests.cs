using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Network;

namespace DockerVm.Emulator.Tests.Network;

/// <summary>Loopback public IP allocation, CIDR checks and fault path globs.</summary>
public sealed class AddressingTests
{
    [Fact]
    public void Allocate_AcrossBlockBoundary_SkipsNetworkAndBroadcastAddresses()
    {
        var pool = new PublicIpPool("127.201.7.253");

        var addresses = Enumerable.Range(0, 3).Select(_ => pool.Allocate()).ToList();

        Assert.Equal(["127.201.7.253", "127.201.7.254", "127.201.8.1"], addresses);
    }

    [Fact]
    public void Import_StateOfTheOtherDockerMode_NeverHandsOutItsAddresses()
    {
        // A state file written in emulated mode (loopback addresses), restored by an emulator in real-Docker mode.
        var pool = new PublicIpPool("198.18.0.1", System.Net.IPNetwork.Parse("198.18.0.0/16"));

        pool.Import("127.0.1.3", inUse: ["127.0.1.2"], released: ["127.0.1.1"]);

        Assert.Equal("198.18.0.1", pool.Allocate());
        Assert.Equal(1, pool.InUse);
    }

    [Fact]
    public void Release_ThenAllocate_ReusesLowestFreedAddress()
    {
        var pool = new PublicIpPool("127.202.0.1");
        var first = pool.Allocate();
        pool.Allocate();

        pool.Release(first);

        Assert.Equal(first, pool.Allocate());
    }

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.1.0/24", true)]
    [InlineData("10.0.0.0/16", "10.1.0.0/24", false)]
    [InlineData("10.0.0.0/24", "10.0.0.0/16", false)]
    public void Cidr_Contains_ByPrefix(string outer, string inner, bool expected)
    {
        Assert.True(Cidr.TryParse(outer, out var a));
        Assert.True(Cidr.TryParse(inner, out var b));

        Assert.Equal(expected, a.Contains(b));
    }

    [Theory]
    [InlineData("*/virtualMachines/*", "PUT", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/VIRTUALMACHINES/vm1", true)]
    [InlineData("*/virtualMachines/*", "PUT", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/publicIPAddresses/ip", false)]
    [InlineData("/secrets/*", "", "/secrets/a", true)]
    public void PathPattern_Glob_MatchesIgnoringCase(string pattern, string method, string path, bool expected)
    {
        Assert.Equal(expected, new PathPattern(pattern).Matches("PUT", method, path));
    }
}
