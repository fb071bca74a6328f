using DockerVm.Api.Webhooks;
using DockerVm.Provisioning.Storage;
using DockerVm.Testing;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Api.Tests.Webhooks;

public sealed class RecordStoreWebhookReplayStoreTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRecordStore _records = new();

    private RecordStoreWebhookReplayStore Store() => new(_records, _time);

    private DateTimeOffset InSixMinutes => _time.GetUtcNow().AddMinutes(6);

    [Fact]
    public async Task TryReserve_SameIdConcurrently_ExactlyOneWins()
    {
        var store = Store();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.TryReserveAsync("msg_1", InSixMinutes, default))));

        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task TryReserve_HeldIdBeforeItExpires_ReturnsNull()
    {
        var store = Store();
        await store.TryReserveAsync("msg_1", InSixMinutes, default);
        _time.Advance(TimeSpan.FromMinutes(6) - TimeSpan.FromSeconds(1));

        Assert.Null(await store.TryReserveAsync("msg_1", InSixMinutes, default));
    }

    [Fact]
    public async Task TryReserve_ExpiredRow_IsTakenOverByExactlyOneOfConcurrentRequests()
    {
        var store = Store();
        await store.TryReserveAsync("msg_1", InSixMinutes, default);
        _time.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.TryReserveAsync("msg_1", InSixMinutes, default))));

        Assert.Single(results, r => r is not null);
        Assert.Equal(1, _records.Count(RecordTables.WebhookIds));
    }

    [Fact]
    public async Task Release_HeldId_CanBeReservedAgain()
    {
        var store = Store();
        var reservation = await store.TryReserveAsync("msg_1", InSixMinutes, default);

        Assert.True(await store.ReleaseAsync(reservation!, default));
        Assert.NotNull(await store.TryReserveAsync("msg_1", InSixMinutes, default));
    }

    [Fact]
    public async Task Release_ByAHolderWhoseRowWasTakenOver_LeavesTheNewHolderInPlace()
    {
        var store = Store();
        var stale = await store.TryReserveAsync("msg_1", _time.GetUtcNow().AddMinutes(1), default);
        _time.Advance(TimeSpan.FromMinutes(2));
        var current = await store.TryReserveAsync("msg_1", InSixMinutes, default);

        Assert.False(await store.ReleaseAsync(stale!, default));
        Assert.NotNull(current);
        Assert.Null(await store.TryReserveAsync("msg_1", InSixMinutes, default));
    }

    [Fact]
    public async Task TryReserve_IdsWithCharactersTableKeysForbid_AreKeptApart()
    {
        var store = Store();

        Assert.NotNull(await store.TryReserveAsync("msg/1#?\\\u0001", InSixMinutes, default));
        Assert.NotNull(await store.TryReserveAsync("msg/1#?\\\u0002", InSixMinutes, default));
        Assert.Null(await store.TryReserveAsync("msg/1#?\\\u0001", InSixMinutes, default));
        Assert.Matches("^[0-9a-f]{64}$", RecordStoreWebhookReplayStore.Key("msg/1#?"));
    }
}
