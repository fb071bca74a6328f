namespace DockerVm.Provisioning.Storage;

/// <summary>
/// Small JSON records with optimistic concurrency in the app's own storage: the rules that must hold across every
/// instance of a scaled-out app (one workflow per Docker host, an idempotency key names one request, a webhook id is
/// accepted once) are settled by these conditional writes, never by a read followed by an unconditional write.
/// </summary>
public interface IRecordStore
{
    /// <summary>The record under <paramref name="key"/> in <paramref name="table"/>, or null.</summary>
    Task<StoredRecord<T>?> GetAsync<T>(string table, string key, CancellationToken ct);

    /// <summary>Creates the record; null when one already exists (someone else got there first).</summary>
    Task<StoredRecord<T>?> TryCreateAsync<T>(string table, string key, T value, CancellationToken ct);

    /// <summary>Replaces the record if it is still at <paramref name="etag"/>; null when it changed or is gone.</summary>
    Task<StoredRecord<T>?> TryReplaceAsync<T>(string table, string key, T value, string etag, CancellationToken ct);

    /// <summary>Deletes the record if it is still at <paramref name="etag"/>; false when it changed or is gone.</summary>
    Task<bool> TryDeleteAsync(string table, string key, string etag, CancellationToken ct);
}
