using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DockerVm.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Looks for key material in everything the stack has written: every Azurite table (task hub history and instances
/// included), every blob (large-message payloads are gzip-compressed), the visible messages of every queue, every host
/// log, every status the running hosts' APIs return (list and detail) and every callback received.
/// </summary>
public static class KeyMaterialScanner
{
    /// <summary>"PRIVATE KEY" of a PEM, base64 of "-----BEGIN PRIVATE" / "-----BEGIN EC PRIVATE" / "-----BEGIN RSA PRIVATE" as in
    /// protected settings, and the OpenSSH private key magic "openssh-key-v1" (as text and in base64).</summary>
    private static readonly string[] PemMarkers =
        ["PRIVATE KEY", "LS0tLS1CRUdJTiBQUklWQVRF", "LS0tLS1CRUdJTiBFQyBQUklWQVRF", "LS0tLS1CRUdJTiBSU0EgUFJJVkFUR", "openssh-key-v1", "b3BlbnNzaC1rZXktdjE"];

    /// <summary>Where key material was found ("table x/pk/rk", "log host.log", …); empty when the stack is clean.</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(LocalStackFixture stack)
    {
        // The signing secrets are checked whole and without their "whsec_" prefix (the key bytes in base64).
        string[] markers = [.. PemMarkers, .. new[] { stack.SigningSecret, stack.WebhookSecret }.SelectMany(s => new[] { s, s["whsec_".Length..] })];
        var findings = new List<string>();
        void Check(string where, string? text)
        {
            if (text is not null && Readings(text).Any(reading => markers.Any(marker => reading.Contains(marker, StringComparison.Ordinal))))
            {
                findings.Add(where);
            }
        }

        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (property, value) in entity)
                {
                    Check($"table {table.Name}/{entity.PartitionKey}/{entity.RowKey}/{property}", value is byte[] bytes ? Decode(bytes) : value?.ToString());
                }
            }
        }

        var blobs = new BlobServiceClient(stack.Azurite.ConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            var containerClient = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in containerClient.GetBlobsAsync())
            {
                var content = (await containerClient.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                Check($"blob {container.Name}/{blob.Name}", Decode(content));
            }
        }

        // Peeking leaves the hosts' messages alone; in-flight (invisible) ones end up in the history table anyway.
        // Poison queues (refused request messages, with what they carried) are read the same way, JSON strings decoded.
        var queues = new QueueServiceClient(stack.Azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                Check($"queue {queue.Name}/{message.MessageId}", message.Body.ToString());
            }
        }

        foreach (var log in Directory.GetFiles(stack.LogDirectory))
        {
            using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            Check($"log {Path.GetFileName(log)}", await reader.ReadToEndAsync());
        }

        foreach (var host in stack.Hosts.Where(h => !h.HasExited))
        {
            using var api = new HttpClient { BaseAddress = new Uri(host.BaseAddress, "api/"), Timeout = TimeSpan.FromSeconds(30) };
            foreach (var status in await LocalStackFixture.ListAllAsync(api))
            {
                var id = status["instanceId"]!.GetValue<string>();
                Check($"status {id} (list, {host.BaseAddress.Port})", status.ToJsonString());
                Check($"status {id} ({host.BaseAddress.Port})", await api.GetStringAsync(new Uri($"docker-vms/{Uri.EscapeDataString(id)}", UriKind.Relative)));
            }
        }

        foreach (var callback in stack.Callbacks.Received)
        {
            Check($"callback {callback.WebhookId}", callback.Payload);
        }

        return findings;
    }

    /// <summary>
    /// The text itself; when the whole text is base64 (queue messages, protected values), what it decodes to; and when it
    /// is JSON, every string in it read the same way (a poison record's <c>originalMessage</c> is JSON inside a JSON string,
    /// where escapes such as <c>\u002B</c> would hide a marker from a plain text search).
    /// </summary>
    private static IEnumerable<string> Readings(string text, int depth = 0)
    {
        yield return text;
        if (text.Length >= 16 && text.Length % 4 == 0 && text.Length < 4_000_000)
        {
            var buffer = new byte[text.Length / 4 * 3];
            if (Convert.TryFromBase64String(text, buffer, out var written))
            {
                yield return Decode(buffer.AsSpan(0, written).ToArray());
            }
        }

        if (depth < 3 && text.TrimStart() is ['{' or '[', ..])
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                yield break;
            }

            foreach (var value in Strings(node))
            {
                foreach (var reading in Readings(value, depth + 1))
                {
                    yield return reading;
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    /// <summary>Large Durable Task payloads are stored gzip-compressed.</summary>
    private static string Decode(byte[] content)
    {
        if (content is [0x1f, 0x8b, ..])
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
                using var reader = new StreamReader(gzip);
                return reader.ReadToEnd();
            }
            catch (InvalidDataException)
            {
                // Not gzip after all: read it as text.
            }
        }

        return Encoding.UTF8.GetString(content);
    }
}
