using System.Threading.RateLimiting;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Faults;

/// <summary>ARM-like request throttling: a read and a write token bucket per subscription.</summary>
internal sealed class Throttler : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Buckets> _buckets = new(StringComparer.OrdinalIgnoreCase);
    private ThrottlingOptions? _options;

    public Throttler(ThrottlingOptions? options) => _options = options;

    public ThrottlingOptions? Options
    {
        get
        {
            lock (_gate)
            {
                return _options;
            }
        }
    }

    public void Configure(ThrottlingOptions? options)
    {
        lock (_gate)
        {
            DisposeBuckets();
            _options = options;
        }
    }

    /// <summary>Takes a token; returns whether allowed, the tokens left and when to retry.</summary>
    public (bool Allowed, int Remaining, TimeSpan RetryAfter, bool IsWrite) TryAcquire(string subscriptionId, string method)
    {
        var isWrite = !HttpMethodsAreReads(method);
        Buckets buckets;
        lock (_gate)
        {
            if (_options is null)
            {
                return (true, -1, TimeSpan.Zero, isWrite);
            }

            if (!_buckets.TryGetValue(subscriptionId, out buckets!))
            {
                buckets = new Buckets(Create(_options.ReadCapacity, _options.ReadRefillPerSecond), Create(_options.WriteCapacity, _options.WriteRefillPerSecond));
                _buckets[subscriptionId] = buckets;
            }
        }

        var limiter = isWrite ? buckets.Writes : buckets.Reads;
        using var lease = limiter.AttemptAcquire();
        var remaining = (int)(limiter.GetStatistics()?.CurrentAvailablePermits ?? 0);
        if (lease.IsAcquired)
        {
            return (true, remaining, TimeSpan.Zero, isWrite);
        }

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var value) ? value : TimeSpan.FromSeconds(1);
        return (false, 0, retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter, isWrite);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            DisposeBuckets();
        }
    }

    private static bool HttpMethodsAreReads(string method) => method is "GET" or "HEAD";

    private static TokenBucketRateLimiter Create(int capacity, double refillPerSecond)
    {
        // Refill in 100 ms steps so small rates still replenish smoothly.
        var perPeriod = Math.Max(1, (int)Math.Round(refillPerSecond / 10));
        var period = TimeSpan.FromSeconds(perPeriod / Math.Max(refillPerSecond, 0.001));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = capacity,
            TokensPerPeriod = perPeriod,
            ReplenishmentPeriod = period,
            AutoReplenishment = true,
            QueueLimit = 0,
        });
    }

    private void DisposeBuckets()
    {
        foreach (var buckets in _buckets.Values)
        {
            buckets.Reads.Dispose();
            buckets.Writes.Dispose();
        }

        _buckets.Clear();
    }

    private sealed record Buckets(TokenBucketRateLimiter Reads, TokenBucketRateLimiter Writes);
}
