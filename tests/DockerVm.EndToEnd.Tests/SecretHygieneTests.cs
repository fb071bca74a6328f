using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

/// <summary>
/// Private keys go to Key Vault and nowhere else. The test provisions and deprovisions a host of its own, then scans
/// everything the stack has written so far (the task hub's tables, blobs and queues, the host logs, every status),
/// which covers the runs of the tests that ran before it as well.
/// </summary>
[Collection(LocalStackCollectionDefinition.Name)]
public sealed class SecretHygieneTests(LocalStackFixture stack)
{
    /// <summary>"PRIVATE KEY" of a PEM, and base64 of "-----BEGIN PRIVATE" / "-----BEGIN EC PRIVATE" as in protected settings.</summary>
    static readonly string[] KeyMarkers = ["PRIVATE KEY", "LS0tLS1CRUdJTiBQUklWQVRF", "LS0tLS1CRUdJTiBFQyBQUklWQVRF", "LS0tLS1CRUdJTiBSU0EgUFJJVkFUR"];

    [Fact]
    public async Task AfterProvisioningAndDeprovisioning_TaskHubStorageLogsAndStatuses_HoldNoPrivateKey()
    {
        string name = stack.NewVmName("keys");
        var (_, id, _, body) = await stack.SubmitAsync(stack.NewRequest(name));
        Assert.True(id is not null, body);
        await stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "succeeded");
        using (HttpResponseMessage delete = await stack.Api.DeleteAsync(new Uri($"docker-vms/{id}", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, delete.StatusCode);
        }

        await stack.WaitForStateAsync(id, TimeSpan.FromSeconds(90), "deprovisioned");
        var findings = new List<string>();

        var tables = new TableServiceClient(stack.Azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (TableEntity entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                string text = string.Join('\n', ((IDictionary<string, object>)entity).Values.Select(v => v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : v?.ToString()));
                Check($"table {table.Name}/{entity.PartitionKey}/{entity.RowKey}", text, findings);
            }
        }

        var blobs = new BlobServiceClient(stack.Azurite.ConnectionString);
        await foreach (BlobContainerItem container in blobs.GetBlobContainersAsync())
        {
            BlobContainerClient containerClient = blobs.GetBlobContainerClient(container.Name);
            await foreach (BlobItem blob in containerClient.GetBlobsAsync())
            {
                byte[] content = (await containerClient.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                Check($"blob {container.Name}/{blob.Name}", Decode(content), findings);
            }
        }

        var queues = new QueueServiceClient(stack.Azurite.ConnectionString);
        await foreach (QueueItem queue in queues.GetQueuesAsync())
        {
            foreach (PeekedMessage message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                Check($"queue {queue.Name}", message.Body.ToString(), findings);
            }
        }

        foreach (string log in Directory.GetFiles(stack.LogDirectory))
        {
            using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
            Check($"log {Path.GetFileName(log)}", await reader.ReadToEndAsync(), findings);
        }

        foreach (var status in await stack.ListAllAsync())
        {
            Check($"status {status["instanceId"]}", status.ToJsonString(), findings);
        }

        Assert.True(findings.Count == 0, "Key material found in: " + string.Join(", ", findings));
    }

    static void Check(string where, string? text, List<string> findings)
    {
        if (text is not null && KeyMarkers.Any(marker => text.Contains(marker, StringComparison.Ordinal)))
        {
            findings.Add(where);
        }
    }

    /// <summary>Large Durable Task payloads are stored gzip-compressed.</summary>
    static string Decode(byte[] content)
    {
        if (content is [0x1f, 0x8b, ..])
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            return reader.ReadToEnd();
        }

        return Encoding.UTF8.GetString(content);
    }
}
