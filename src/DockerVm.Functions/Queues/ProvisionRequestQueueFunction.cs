using Azure.Storage.Queues.Models;
using DockerVm.Api.Queues;
using DockerVm.Provisioning.Application;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DockerVm.Functions.Queues;

/// <summary>
/// The request queue. Valid messages are scheduled like REST requests. Invalid ones can never succeed, so they go to
/// <c>&lt;queue&gt;-poison</c> at once, wrapped in a <see cref="QueuePoisonRecord"/> naming every broken rule, and the
/// trigger completes. Infrastructure failures throw, so the host's retries (maxDequeueCount in host.json) and its own
/// poison handling apply.
/// </summary>
public sealed partial class ProvisionRequestQueueFunction(
    QueueRequestHandler handler,
    TimeProvider timeProvider,
    ILogger<ProvisionRequestQueueFunction> logger)
{
    public const string FunctionName = "ProvisionDockerVmFromQueue";

    /// <summary>App setting holding the queue name (<c>Provisioning__RequestQueueName</c> as an environment variable).</summary>
    public const string QueueName = "%Provisioning:RequestQueueName%";

    /// <summary>Same poison queue the host uses after the last retry.</summary>
    public const string PoisonQueueName = "%Provisioning:RequestQueueName%-poison";

    [Function(FunctionName)]
    public async Task<QueueRequestOutput> RunAsync(
        [QueueTrigger(QueueName)] QueueMessage message,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Body?.ToString() ?? string.Empty;
        var outcome = await handler.HandleAsync(client, text, cancellationToken);
        if (outcome is not SubmitRejected rejected)
        {
            LogHandled(logger, message.MessageId, (outcome as SubmitAccepted)?.InstanceId);
            return QueueRequestOutput.None;
        }

        LogPoisoned(logger, message.MessageId, rejected.Reason, rejected.Errors.Count);
        var record = QueuePoisonRecord.Create(
            rejected, text, message.MessageId, message.DequeueCount, message.InsertedOn, timeProvider.GetUtcNow());
        return new QueueRequestOutput { PoisonMessage = record.ToJson() };
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Queue message {MessageId} maps to instance {InstanceId}")]
    private static partial void LogHandled(ILogger logger, string messageId, string? instanceId);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Queue message {MessageId} is invalid ({Reason}, {ErrorCount} errors); moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string reason, int errorCount);
}
