using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Application;

/// <summary>
/// Turns one queue message (a JSON <see cref="ProvisionDockerVmRequest"/>) into a submission. The message is read by
/// the same <see cref="RequestReader"/> as the HTTP body, so unknown, case-variant or duplicate members and numbers in
/// strings are refused here too. A message that can never succeed (not the contract, or an invalid request) is
/// <see cref="SubmitRejected"/>, so the host can dead-letter it instead of retrying; infrastructure failures throw, so
/// the queue retries the message.
/// </summary>
public sealed partial class QueueRequestHandler(DockerVmService service, ILogger<QueueRequestHandler> logger)
{
    public async Task<SubmitOutcome> HandleAsync(DurableTaskClient client, string messageText, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);

        var read = RequestReader.Read<ProvisionDockerVmRequest>(messageText);
        if (!read.IsRead)
        {
            LogUnreadable(logger, read.Failure, read.Errors.Count, string.Join(',', read.Errors.Select(e => e.Rule).Distinct()));
            return new SubmitRejected(SubmitRejected.MalformedJson, read.Errors);
        }

        return await service.SubmitAsync(client, read.Value, idempotencyKeyHeader: null, ct);
    }

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Queue message rejected: {Failure} ({ErrorCount} errors, rules {Rules})")]
    private static partial void LogUnreadable(ILogger logger, RequestReadFailure failure, int errorCount, string rules);
}
