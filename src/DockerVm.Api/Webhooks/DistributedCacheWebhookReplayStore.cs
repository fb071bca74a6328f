using Microsoft.Extensions.Caching.Distributed;

namespace DockerVm.Api.Webhooks;

/// <summary>
/// Replay store over <see cref="IDistributedCache"/>: in memory by default (<c>AddDistributedMemoryCache</c>), shared
/// between instances when a distributed cache is registered. Within one process the check-and-set is serialized; across
/// processes two simultaneous deliveries of one id could both pass, which is harmless because the submit path is
/// idempotent on the same id.
/// </summary>
public sealed class DistributedCacheWebhookReplayStore(IDistributedCache cache) : IWebhookReplayStore, IDisposable
{
    private const string KeyPrefix = "webhook-id:";
    private static readonly byte[] Marker = [1];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<bool> TryRememberAsync(string webhookId, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var key = KeyPrefix + webhookId;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is not null)
            {
                return false;
            }

            await cache.SetAsync(
                key,
                Marker,
                new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = timeToLive },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task ForgetAsync(string webhookId, CancellationToken cancellationToken) =>
        cache.RemoveAsync(KeyPrefix + webhookId, cancellationToken);

    public void Dispose() => _gate.Dispose();
}
