using System.Net;
using System.Net.Sockets;
using DockerVm.Provisioning.Callbacks;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Callbacks;

public sealed class CallbackUrlGuardTests
{
    private static readonly FakeResolver Dns = new()
    {
        ["hooks.example.com"] = [[IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:2800:220:1::248")]],
        ["localhost"] = [[IPAddress.Loopback, IPAddress.IPv6Loopback]],
        ["internal.corp"] = [[IPAddress.Parse("10.20.30.40")]],
        ["mixed.example"] = [[IPAddress.Parse("93.184.216.34"), IPAddress.Parse("192.168.1.10")]],
        ["metadata.example"] = [[IPAddress.Parse("169.254.169.254")]],
        ["allowed.test"] = [[IPAddress.Parse("10.1.1.1")]],
        ["empty.example"] = [[]],
    };

    private static CallbackUrlGuard Guard(params string[] allowed)
    {
        var options = new CallbackOptions();
        foreach (var host in allowed)
        {
            options.AllowedLocalHosts.Add(host);
        }

        return new CallbackUrlGuard(new StaticMonitor(options), Dns);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.8.9.10", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("localhost", "loopback")]
    [InlineData("10.0.0.5", "private")]
    [InlineData("172.16.1.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("internal.corp", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("metadata.example", "metadata")]
    [InlineData("fd00:ec2::254", "private")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("100.64.0.1", "carrier-grade NAT")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("2002:c0a8:0101::1", "private")]
    [InlineData("::127.0.0.1", "reserved")]
    [InlineData("mixed.example", "private")]
    [InlineData("empty.example", "does not resolve")]
    [InlineData("nxdomain.example", "does not resolve")]
    public async Task ResolveAllowedAsync_BlockedHost_Refused(string host, string reason)
    {
        var ex = await Assert.ThrowsAsync<CallbackUrlRefusedException>(() => Guard().ResolveAllowedAsync(host, CancellationToken.None));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hooks.example.com")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:2800:220:1::248")]
    [InlineData("64:ff9b::5db8:d822")]
    public async Task ResolveAllowedAsync_PublicHost_Allowed(string host)
    {
        Assert.NotEmpty(await Guard().ResolveAllowedAsync(host, CancellationToken.None));
    }

    [Theory]
    [InlineData("allowed.test", "allowed.test")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("[::1]", "::1")]
    [InlineData("allowed.test", "10.1.1.1")]
    [InlineData("LOCALHOST", "localhost")]
    public async Task ResolveAllowedAsync_AllowlistedHostOrAddress_Allowed(string host, string allowlisted)
    {
        Assert.NotEmpty(await Guard(allowlisted).ResolveAllowedAsync(host, CancellationToken.None));
    }

    [Theory]
    [InlineData("http://hooks.example.com/x", "scheme")]
    [InlineData("ftp://hooks.example.com/x", "scheme")]
    [InlineData("https://user:pass@hooks.example.com/x", "credentials")]
    public void WhyRefused_BadUrl_NamesTheProblem(string url, string reason)
    {
        Assert.Contains(reason, Guard().WhyRefused(new Uri(url)), StringComparison.Ordinal);
    }

    [Fact]
    public void WhyRefused_HttpToAllowlistedLocalHost_Allowed()
    {
        Assert.Null(Guard("localhost").WhyRefused(new Uri("http://localhost:7071/api/hook")));
        Assert.NotNull(Guard().WhyRefused(new Uri("http://localhost:7071/api/hook")));
        Assert.Null(Guard().WhyRefused(new Uri("https://hooks.example.com/x")));
    }

    [Fact]
    public async Task ConnectAsync_AsHttpConnectCallback_ReachesOnlyTheCheckedAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var resolver = new FakeResolver { ["receiver.test"] = [[IPAddress.Loopback]], ["evil.test"] = [[IPAddress.Loopback]] };
        var options = new CallbackOptions();
        options.AllowedLocalHosts.Add("receiver.test");
        var guard = new CallbackUrlGuard(new StaticMonitor(options), resolver);
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, UseProxy = false });
        var serve = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            var stream = accepted.GetStream();
            var read = await stream.ReadAsync(new byte[4096]);
            Assert.True(read > 0);
            await stream.WriteAsync("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });

        using var allowed = await client.GetAsync(new Uri($"http://receiver.test:{port}/"));
        await serve;
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri($"http://evil.test:{port}/")));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.IsType<CallbackUrlRefusedException>(refused.InnerException);
    }

    private sealed class StaticMonitor(CallbackOptions value) : IOptionsMonitor<CallbackOptions>
    {
        public CallbackOptions CurrentValue => value;

        public CallbackOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<CallbackOptions, string?> listener) => null;
    }
}
