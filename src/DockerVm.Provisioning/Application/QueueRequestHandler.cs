using System.Text.Json;
using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Application;

/// <summary>
/// Turns one queue message (a JSON <see cref="ProvisionDockerVmRequest"/>) into a submission. A message that can
/// never succeed (malformed JSON, invalid request) is <see cref="SubmitRejected"/>, so the host can drop or
/// dead-letter it instead of retrying; infrastructure failures throw, so the queue retries the message.
/// </summary>
public sealed partial class QueueRequestHandler(DockerVmService service, ILogger<QueueRequestHandler> logger)
{
    public async Task<SubmitOutcome> HandleAsync(DurableTaskClient client, string messageText, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);

        ProvisionDockerVmRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<ProvisionDockerVmRequest>(messageText ?? "", JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            var field = RequestFieldPath.FromJsonPath(ex.Path);
            LogMalformed(logger, field, ex.LineNumber, ex.BytePositionInLine);
            return new SubmitRejected(SubmitRejected.MalformedJson,
                [new ValidationError(field, ValidationRules.JsonSyntax, $"The message is not a valid request: {ex.Message}")]);
        }

        if (request is null)
        {
            return new SubmitRejected(SubmitRejected.MalformedJson,
                [new ValidationError("", ValidationRules.JsonSyntax, "The message is not a JSON object.")]);
        }

        return await service.SubmitAsync(client, request, idempotencyKeyHeader: null, ct);
    }

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Queue message rejected: malformed JSON at '{Field}' (line {Line}, byte {BytePosition})")]
    private static partial void LogMalformed(ILogger logger, string field, long? line, long? bytePosition);
}
