using System.Security.Cryptography;
using DockerVm.Provisioning;
using DockerVm.Provisioning.Storage;
using DockerVm.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using static DockerVm.Api.Tests.Webhooks.WebhookRequests;

namespace DockerVm.Api.Tests.Webhooks;

/// <summary>
/// Two app instances (separate service providers, each with its own Table client) on one storage account, a private
/// Azurite: in Azure the app scales out, and a replay may land on any instance.
/// </summary>
public sealed class WebhookReplayAcrossInstancesTests : IAsyncLifetime
{
    private readonly string _taskHub = "Hooks" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
    private readonly List<IAsyncDisposable> _disposables = [];
    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>An instance wired like a host: its record store is the app's table store over <c>AzureWebJobsStorage</c>.</summary>
    private ApiTestContext Instance()
    {
        void Configure(Dictionary<string, string?> settings)
        {
            settings["AzureWebJobsStorage"] = _azurite.ConnectionString;
            settings["TaskHubName"] = _taskHub;
        }

        var settings = ApiTestContext.DefaultSettings();
        Configure(settings);
        var storage = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddDockerVmProvisioning()
            .BuildServiceProvider();
        _disposables.Add(storage);
        var records = storage.GetRequiredService<IRecordStore>();
        Assert.IsNotType<InMemoryRecordStore>(records);
        var api = ApiTestContext.Create(Configure, services => services.Replace(ServiceDescriptor.Singleton(records)));
        _disposables.Add(api);
        return api;
    }

    [Fact]
    public async Task Webhook_ReplayLandingOnAnotherInstance_Returns401AndSchedulesNothingThere()
    {
        var first = Instance();
        var second = Instance();
        var payload = Envelope();
        var headers = Headers(payload, "msg_across", first.Time.GetUtcNow());

        var accepted = await first.PostAsync(payload, headers);
        var replayed = await second.PostAsync(payload, headers);

        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal(401, replayed.StatusCode);
        Assert.Contains("already accepted", replayed.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(first.Client.Scheduled);
        Assert.Empty(second.Client.Scheduled);
    }

    [Fact]
    public async Task Webhook_OneIdDeliveredToTwoInstancesAtOnce_ExactlyOneAccepted()
    {
        var instances = new[] { Instance(), Instance() };
        var payload = Envelope();
        var headers = Headers(payload, "msg_race", instances[0].Time.GetUtcNow());

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => instances[i % 2].PostAsync(payload, headers))));

        Assert.Single(outcomes, o => o.StatusCode == 202);
        Assert.All(outcomes.Where(o => o.StatusCode != 202), o => Assert.Equal(401, o.StatusCode));
        Assert.Single(instances.SelectMany(i => i.Client.Scheduled));
    }

    [Fact]
    public async Task Webhook_IdWithCharactersTableKeysForbid_IsAcceptedOnceAcrossInstances()
    {
        var first = Instance();
        var second = Instance();
        var payload = Envelope();
        var headers = Headers(payload, "msg/with#odd?chars\\", first.Time.GetUtcNow());

        Assert.Equal(202, (await first.PostAsync(payload, headers)).StatusCode);
        Assert.Equal(401, (await second.PostAsync(payload, headers)).StatusCode);
    }

    [Fact]
    public async Task Webhook_RefusedWith400OnOneInstance_RetryOfTheIdOnAnotherIsAccepted()
    {
        var first = Instance();
        var second = Instance();
        var wrong = Envelope(type: "dockerhost.provision.requestd");
        var fixedPayload = Envelope();

        var refused = await first.PostAsync(wrong, Headers(wrong, "msg_fixed", first.Time.GetUtcNow()));
        var retried = await second.PostAsync(fixedPayload, Headers(fixedPayload, "msg_fixed", second.Time.GetUtcNow()));

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal(202, retried.StatusCode);
    }

    [Fact]
    public async Task Webhook_IdWhoseTimestampLeftTheWindow_IsTakenOverOnAnotherInstance()
    {
        var first = Instance();
        var second = Instance();
        var payload = Envelope();
        Assert.Equal(202, (await first.PostAsync(payload, Headers(payload, "msg_late", first.Time.GetUtcNow()))).StatusCode);

        // The second instance's clock is past the first timestamp's window and margin: the row is replaced (ETag) there.
        second.Time.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        var lateHeaders = Headers(payload, "msg_late", second.Time.GetUtcNow());
        var late = await second.PostAsync(payload, lateHeaders);
        var replayOfLate = await second.PostAsync(payload, lateHeaders);

        Assert.Equal(202, late.StatusCode);
        Assert.Equal(401, replayOfLate.StatusCode);
    }
}
