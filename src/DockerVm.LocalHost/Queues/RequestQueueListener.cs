using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using DockerVm.Api.Queues;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DockerVm.LocalHost.Queues;

/// <summary>
/// The request queue with the Functions queue-trigger semantics: a message is hidden while handled and deleted on
/// success; an invalid request can never succeed and goes to <c>&lt;queue&gt;-poison</c> at once; any other failure
/// makes it visible again after the visibility timeout, and after <c>MaxDequeueCount</c> deliveries it is moved to
/// the poison queue too. Poison messages are <see cref="QueuePoisonRecord"/>s, so the reason travels with the message.
/// All request handling is the application layer's <see cref="QueueRequestHandler"/>.
/// </summary>
internal sealed partial class RequestQueueListener(
    RequestQueues queues,
    QueueRequestHandler handler,
    DurableTaskClient durableClient,
    IOptions<RequestQueueListenerOptions> options,
    TimeProvider timeProvider,
    ILogger<RequestQueueListener> logger) : BackgroundService
{
    /// <summary>Poison reason of a message that kept failing (invalid requests carry the validator's reason instead).</summary>
    public const string RetriesExhaustedReason = "max-dequeue-count-exceeded";

    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = queues.Requests;
        var poison = queues.Poison;
        var settings = options.Value;

        await CreateQueuesAsync(queue, poison, stoppingToken).ConfigureAwait(false);
        LogListening(logger, queue.Name, settings.MaxDequeueCount);

        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, settings.ProcessingLockTimeout, stoppingToken).ConfigureAwait(false)).Value;
                if (messages.Length > 0)
                {
                    delay = MinPollingInterval;
                    await Task.WhenAll(messages.Select(m => ProcessAsync(queue, poison, m, settings, stoppingToken))).ConfigureAwait(false);
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RequestFailedException ex)
            {
                // Storage briefly unavailable (Azurite restarting): back off like an empty queue and try again.
                LogReceiveFailed(logger, queue.Name, ex.Status, ex.ErrorCode);
            }

            await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, RequestQueueListenerOptions settings, CancellationToken ct)
    {
        var text = message.Body?.ToString() ?? string.Empty;
        SubmitOutcome outcome;
        try
        {
            outcome = await handler.HandleAsync(durableClient, text, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await FailAsync(queue, poison, message, text, ex, settings, ct).ConfigureAwait(false);
            return;
        }

        if (outcome is SubmitRejected rejected)
        {
            LogRejected(logger, message.MessageId, rejected.Reason, rejected.Errors.Count);
            var record = QueuePoisonRecord.Create(
                rejected, text, message.MessageId, message.DequeueCount, message.InsertedOn, timeProvider.GetUtcNow());
            await MoveToPoisonAsync(queue, poison, message, record, ct).ConfigureAwait(false);
            return;
        }

        LogHandled(logger, message.MessageId, (outcome as SubmitAccepted)?.InstanceId);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct).ConfigureAwait(false);
    }

    private async Task FailAsync(
        QueueClient queue, QueueClient poison, QueueMessage message, string text, Exception error, RequestQueueListenerOptions settings, CancellationToken ct)
    {
        if (message.DequeueCount >= settings.MaxDequeueCount)
        {
            LogRetriesExhausted(logger, message.MessageId, message.DequeueCount, error.GetType().Name);
            var record = QueuePoisonRecord.Create(
                RetriesExhaustedReason,
                [new ValidationError(RequestFieldPath.Root, "processing-failed", $"{error.GetType().Name}: {error.Message}")],
                text,
                message.MessageId,
                message.DequeueCount,
                message.InsertedOn,
                timeProvider.GetUtcNow());
            await MoveToPoisonAsync(queue, poison, message, record, ct).ConfigureAwait(false);
            return;
        }

        LogWillRetry(logger, message.MessageId, message.DequeueCount, settings.MaxDequeueCount, error.GetType().Name);
        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: ct)
            .ConfigureAwait(false);
    }

    private static async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, QueuePoisonRecord record, CancellationToken ct)
    {
        // Copy first, then delete: a crash in between delivers the message again rather than losing it.
        await poison.SendMessageAsync(record.ToJson(), ct).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct).ConfigureAwait(false);
    }

    private static async Task CreateQueuesAsync(QueueClient queue, QueueClient poison, CancellationToken ct)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        await poison.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Listening to queue {QueueName} (max dequeue count {MaxDequeueCount})")]
    static partial void LogListening(ILogger logger, string queueName, int maxDequeueCount);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Information, Message = "Queue message {MessageId} maps to instance {InstanceId}")]
    static partial void LogHandled(ILogger logger, string messageId, string? instanceId);

    [LoggerMessage(EventId = 6203, Level = LogLevel.Warning, Message = "Queue message {MessageId} is invalid ({Reason}, {ErrorCount} errors); moved to the poison queue")]
    static partial void LogRejected(ILogger logger, string messageId, string reason, int errorCount);

    [LoggerMessage(EventId = 6204, Level = LogLevel.Warning, Message = "Queue message {MessageId} failed on delivery {DequeueCount} of {MaxDequeueCount} ({ErrorType}); it will be retried")]
    static partial void LogWillRetry(ILogger logger, string messageId, long dequeueCount, int maxDequeueCount, string errorType);

    [LoggerMessage(EventId = 6205, Level = LogLevel.Error, Message = "Queue message {MessageId} failed {DequeueCount} times ({ErrorType}); moved to the poison queue")]
    static partial void LogRetriesExhausted(ILogger logger, string messageId, long dequeueCount, string errorType);

    [LoggerMessage(EventId = 6206, Level = LogLevel.Warning, Message = "Receiving from queue {QueueName} failed ({Status} {ErrorCode}); retrying")]
    static partial void LogReceiveFailed(ILogger logger, string queueName, int status, string? errorCode);
}
