using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Storage;

/// <summary>
/// <see cref="IRecordStore"/> over Azure Table storage: one entity per record (partition key = the record's key, empty
/// row key), the value as JSON in <c>Data</c>; conditional writes are the service's own (insert fails with 409 when the
/// entity exists, update and delete with 412 when the ETag no longer matches), so they hold across app instances.
/// </summary>
internal sealed class TableRecordStore(TableServiceClient service, IOptions<StorageOptions> options) : IRecordStore
{
    private const string DataProperty = "Data";
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public async Task<StoredRecord<T>?> GetAsync<T>(string table, string key, CancellationToken ct)
    {
        var client = await TableAsync(table, ct);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(key, string.Empty, cancellationToken: ct);
        return response.HasValue && response.Value is { } entity ? Read<T>(entity) : null;
    }

    public async Task<StoredRecord<T>?> TryCreateAsync<T>(string table, string key, T value, CancellationToken ct)
    {
        var client = await TableAsync(table, ct);
        try
        {
            var response = await client.AddEntityAsync(Entity(key, value), ct);
            return new StoredRecord<T>(value, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException ex) when (ex.Status == (int)HttpStatusCode.Conflict)
        {
            return null;
        }
    }

    public async Task<StoredRecord<T>?> TryReplaceAsync<T>(string table, string key, T value, string etag, CancellationToken ct)
    {
        var client = await TableAsync(table, ct);
        try
        {
            var response = await client.UpdateEntityAsync(Entity(key, value), new ETag(etag), TableUpdateMode.Replace, ct);
            return new StoredRecord<T>(value, response.Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> TryDeleteAsync(string table, string key, string etag, CancellationToken ct)
    {
        var client = await TableAsync(table, ct);
        try
        {
            await client.DeleteEntityAsync(key, string.Empty, new ETag(etag), ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static TableEntity Entity<T>(string key, T value) =>
        new(key, string.Empty) { [DataProperty] = JsonSerializer.Serialize(value, JsonSerializerOptions.Web) };

    private static StoredRecord<T>? Read<T>(TableEntity entity) =>
        entity.GetString(DataProperty) is { } json && JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web) is { } value
            ? new StoredRecord<T>(value, entity.ETag.ToString())
            : null;

    /// <summary>Each table is created once per process, on first use; a failed creation is retried by the next caller.</summary>
    private async Task<TableClient> TableAsync(string table, CancellationToken ct)
    {
        var name = options.Value.TaskHubName + table;
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n)));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name)
    {
        var client = service.GetTableClient(name);
        await client.CreateIfNotExistsAsync(CancellationToken.None);
        return client;
    }
}
