using Azure.Data.Tables;
using DockerVm.Provisioning.Storage;
using DockerVm.Testing;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Storage;

/// <summary>The conditional writes the one-workflow-per-host rule stands on, against real Table storage (Azurite).</summary>
public sealed class TableRecordStoreTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private TableRecordStore _store = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        _store = NewStore();
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    private TableRecordStore NewStore() => new(
        new TableServiceClient(_azurite.ConnectionString),
        Options.Create(new StorageOptions { ConnectionString = _azurite.ConnectionString, TaskHubName = "TestHub" }));

    [Fact]
    public async Task TryCreate_TwentyConcurrentCreatesFromSeparateClients_ExactlyOneWins()
    {
        // Separate clients stand for separate app instances: only the service's own conditional insert can settle it.
        var stores = Enumerable.Range(0, 20).Select(_ => NewStore()).ToList();

        var results = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.TryCreateAsync(RecordTables.Hosts, "dockervm-a.rg", new Sample(i), default))));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner!.Value, (await _store.GetAsync<Sample>(RecordTables.Hosts, "dockervm-a.rg", default))!.Value);
    }

    [Fact]
    public async Task TryReplace_StaleETag_Fails_CurrentETag_Succeeds()
    {
        var created = (await _store.TryCreateAsync(RecordTables.Hosts, "k", new Sample(1), default))!;
        var replaced = await _store.TryReplaceAsync(RecordTables.Hosts, "k", new Sample(2), created.ETag, default);

        var stale = await _store.TryReplaceAsync(RecordTables.Hosts, "k", new Sample(3), created.ETag, default);

        Assert.NotNull(replaced);
        Assert.Null(stale);
        Assert.Equal(new Sample(2), (await _store.GetAsync<Sample>(RecordTables.Hosts, "k", default))!.Value);
    }

    [Fact]
    public async Task TryDelete_StaleETag_KeepsTheRecord_CurrentETag_Removes()
    {
        var created = (await _store.TryCreateAsync(RecordTables.IdempotencyKeys, "k", new Sample(1), default))!;
        var replaced = (await _store.TryReplaceAsync(RecordTables.IdempotencyKeys, "k", new Sample(2), created.ETag, default))!;

        Assert.False(await _store.TryDeleteAsync(RecordTables.IdempotencyKeys, "k", created.ETag, default));
        Assert.True(await _store.TryDeleteAsync(RecordTables.IdempotencyKeys, "k", replaced.ETag, default));
        Assert.Null(await _store.GetAsync<Sample>(RecordTables.IdempotencyKeys, "k", default));
        Assert.NotNull(await _store.TryCreateAsync(RecordTables.IdempotencyKeys, "k", new Sample(3), default));
    }

    private sealed record Sample(int Value);
}
