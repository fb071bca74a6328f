using System.Security.Cryptography;
using System.Text;
using DockerVm.Provisioning.Storage;

namespace DockerVm.Api.Webhooks;

/// <summary>
/// Replay store in the app's own storage (<see cref="IRecordStore"/>, table <see cref="RecordTables.WebhookIds"/>), so
/// that every instance of a scaled-out app sees the same ids. Taking an id is a conditional create, which exactly one
/// request wins across instances; a row whose expiry has passed is taken over with a conditional replace (its ETag),
/// so an id is never blocked for longer than its timestamp could pass the window. Expired rows of ids that never come
/// back stay as dead weight (a few hundred bytes each) and may be deleted at any time.
/// </summary>
public sealed class RecordStoreWebhookReplayStore(IRecordStore records, TimeProvider timeProvider) : IWebhookReplayStore
{
    // A create that fails on a row which is gone by the time it is read (released in between) is tried again, a little.
    private const int Attempts = 3;

    public async Task<WebhookIdReservation?> TryReserveAsync(string webhookId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        var key = Key(webhookId);
        var record = new WebhookIdRecord(expiresAt);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (await records.TryCreateAsync(RecordTables.WebhookIds, key, record, cancellationToken) is { } created)
            {
                return new WebhookIdReservation(webhookId, key, created.ETag);
            }

            var existing = await records.GetAsync<WebhookIdRecord>(RecordTables.WebhookIds, key, cancellationToken);
            if (existing is null)
            {
                continue;
            }

            if (existing.Value.ExpiresAt > timeProvider.GetUtcNow())
            {
                return null;
            }

            // Null: another request took the expired row over at the same moment, and it wins.
            return await records.TryReplaceAsync(RecordTables.WebhookIds, key, record, existing.ETag, cancellationToken) is { } replaced
                ? new WebhookIdReservation(webhookId, key, replaced.ETag)
                : null;
        }

        return null;
    }

    public Task<bool> ReleaseAsync(WebhookIdReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return records.TryDeleteAsync(RecordTables.WebhookIds, reservation.Key, reservation.ETag, cancellationToken);
    }

    /// <summary>
    /// Row key: hex SHA-256 of the id. Senders choose ids freely, while Table storage keys may not contain '/', '\', '#',
    /// '?' or control characters and are limited to 1 KiB (Azure docs, "Understanding the Table service data model").
    /// </summary>
    internal static string Key(string webhookId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(webhookId)));
}
