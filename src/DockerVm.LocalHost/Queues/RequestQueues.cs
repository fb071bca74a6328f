using Azure.Storage.Queues;
using DockerVm.LocalHost.DurableTask;
using DockerVm.Provisioning.Configuration;
using Microsoft.Extensions.Options;

namespace DockerVm.LocalHost.Queues;

/// <summary>
/// The request queue and its poison queue in the task hub's storage account (<c>AzureWebJobsStorage</c>), holding
/// plain-text messages as host.json's <c>messageEncoding: none</c> does. Created from the connection string on
/// purpose: the Azure client factory would build the app's Azure credential, which a storage emulator does not need.
/// </summary>
internal sealed class RequestQueues(IOptions<TaskHubStorageOptions> storage, IOptions<ProvisioningOptions> provisioning)
{
    private readonly Lazy<QueueServiceClient> service = new(() =>
        new QueueServiceClient(storage.Value.AzureWebJobsStorage, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None }));

    public QueueClient Requests => service.Value.GetQueueClient(provisioning.Value.RequestQueueName);

    public QueueClient Poison => service.Value.GetQueueClient(provisioning.Value.PoisonQueueName);
}
