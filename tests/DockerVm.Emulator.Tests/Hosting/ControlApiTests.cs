using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Hosting;

/// <summary>The control API steers the emulator (faults, reset, journal): only a holder of the control secret may use it.</summary>
public sealed class ControlApiTests : IAsyncLifetime
{
    private AzureEmulator emulator = null!;

    public async Task InitializeAsync() => emulator = await AzureEmulator.StartAsync();

    public async Task DisposeAsync() => await emulator.DisposeAsync();

    [Theory]
    [InlineData("GET", "_emulator/state")]
    [InlineData("POST", "_emulator/reset")]
    [InlineData("GET", "_emulator/requests")]
    [InlineData("GET", "_emulator/counters")]
    [InlineData("GET", "_emulator/daemons")]
    [InlineData("POST", "_emulator/faults")]
    [InlineData("DELETE", "_emulator/faults")]
    [InlineData("PUT", "_emulator/durations")]
    [InlineData("PUT", "_emulator/throttling")]
    public async Task ControlEndpoint_NoSecret_Unauthorized(string method, string path)
    {
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);

        using var response = await http.SendAsync(Request(method, path));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Unauthorized", (string?)body["error"]?["code"]);
        Assert.Empty(emulator.Control.Faults);
    }

    [Fact]
    public async Task ControlEndpoint_WrongSecret_UnauthorizedAndStateKept()
    {
        await Scenario.GroupAsync(AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)), "rg-kept");
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);
        http.DefaultRequestHeaders.Add(AzureEmulator.ControlSecretHeader, emulator.ControlSecret[..^1] + "x");

        using var response = await http.PostAsync(new Uri("_emulator/reset", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(emulator.Control.DumpState()["resourceGroups"]!.AsArray());
    }

    [Fact]
    public async Task ControlEndpoint_WithSecret_Answers()
    {
        using var http = PinnedTransport.ControlClient(emulator);

        using var response = await http.GetAsync(new Uri("_emulator/counters", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_NoSecret_AnswersForReadinessChecks()
    {
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);

        using var response = await http.GetAsync(new Uri("_emulator/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), new Uri(path, UriKind.Relative))
    {
        Content = method is "POST" or "PUT"
            ? new StringContent("""{"pathPattern":"*","kind":"InternalServerError","count":1}""", Encoding.UTF8, "application/json")
            : null,
    };
}
