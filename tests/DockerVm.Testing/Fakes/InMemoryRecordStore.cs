using System.Globalization;
using System.Text.Json;
using DockerVm.Provisioning.Storage;

namespace DockerVm.Testing;

/// <summary>
/// <see cref="IRecordStore"/> in memory with the table store's conditional semantics (create fails when present,
/// replace and delete fail on a stale ETag), for tests that run without Azurite. Values round-trip through JSON as
/// they do in Table storage, so a test cannot depend on sharing an object with the store.
/// </summary>
public sealed class InMemoryRecordStore : IRecordStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Table, string Key), (string Json, string ETag)> _rows = [];
    private long _version;

    /// <summary>How many rows a table holds.</summary>
    public int Count(string table)
    {
        lock (_gate)
        {
            return _rows.Keys.Count(k => k.Table == table);
        }
    }

    public Task<StoredRecord<T>?> GetAsync<T>(string table, string key, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue((table, key), out var row) ? Read<T>(row) : null);
        }
    }

    public Task<StoredRecord<T>?> TryCreateAsync<T>(string table, string key, T value, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_rows.ContainsKey((table, key)))
            {
                return Task.FromResult<StoredRecord<T>?>(null);
            }

            return Task.FromResult<StoredRecord<T>?>(Write(table, key, value));
        }
    }

    public Task<StoredRecord<T>?> TryReplaceAsync<T>(string table, string key, T value, string etag, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_rows.TryGetValue((table, key), out var row) || row.ETag != etag)
            {
                return Task.FromResult<StoredRecord<T>?>(null);
            }

            return Task.FromResult<StoredRecord<T>?>(Write(table, key, value));
        }
    }

    public Task<bool> TryDeleteAsync(string table, string key, string etag, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue((table, key), out var row) && row.ETag == etag && _rows.Remove((table, key)));
        }
    }

    private StoredRecord<T> Write<T>(string table, string key, T value)
    {
        var row = (JsonSerializer.Serialize(value, JsonSerializerOptions.Web), (++_version).ToString(CultureInfo.InvariantCulture));
        _rows[(table, key)] = row;
        return Read<T>(row)!;
    }

    private static StoredRecord<T>? Read<T>((string Json, string ETag) row) =>
        JsonSerializer.Deserialize<T>(row.Json, JsonSerializerOptions.Web) is { } value ? new StoredRecord<T>(value, row.ETag) : null;
}
