using DockerVm.Api.Webhooks;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DockerVm.Api.Tests.Webhooks;

public sealed class DistributedCacheWebhookReplayStoreTests
{
    [Fact]
    public async Task TryRemember_SameIdConcurrently_ExactlyOneWins()
    {
        using var store = new DistributedCacheWebhookReplayStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => store.TryRememberAsync("msg_1", TimeSpan.FromMinutes(10), default)));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Forget_RememberedId_CanBeRememberedAgain()
    {
        using var store = new DistributedCacheWebhookReplayStore(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        await store.TryRememberAsync("msg_1", TimeSpan.FromMinutes(10), default);

        await store.ForgetAsync("msg_1", default);

        Assert.True(await store.TryRememberAsync("msg_1", TimeSpan.FromMinutes(10), default));
    }
}
