using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DockerVm.Api.OpenApi;
using DockerVm.Api.Webhooks;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace DockerVm.Api.Http;

/// <summary>
/// The HTTP API both hosts serve: each method reads the request, calls <see cref="DockerVmService"/> and maps its
/// outcome to a result. Errors become problems only through <see cref="ApiProblems"/>. The Durable Task client is a
/// parameter because the Functions host binds it per invocation while the local host resolves it from DI.
/// </summary>
public sealed partial class DockerVmHttpHandlers(
    DockerVmService service,
    InboundWebhookVerifier webhookVerifier,
    ILogger<DockerVmHttpHandlers> logger)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>A provisioning request is a few kilobytes; anything far larger is refused before its signature is checked.</summary>
    public const int MaxWebhookPayloadChars = 256 * 1024;

    /// <summary><c>POST /api/docker-vms</c>: 202 + <c>Location</c> when scheduled, 200 + <c>Location</c> for a duplicate.</summary>
    public Task<IResult> SubmitAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync(request, async () =>
        {
            if (!ApiMediaTypes.IsJson(request.ContentType))
            {
                return ApiProblems.UnsupportedMediaType(request.ContentType);
            }

            var read = await RequestReader.ReadAsync<ProvisionDockerVmRequest>(request.Body, cancellationToken);
            if (!read.IsRead)
            {
                LogUnreadableBody(logger, read.Failure, read.Errors.Count);
                return ApiProblems.UnreadableBody(read.Failure, read.Errors);
            }

            var outcome = await service.SubmitAsync(client, read.Value, IdempotencyKey(request), cancellationToken);
            return ToResult(outcome);
        });

    /// <summary><c>GET /api/docker-vms/{id}</c>: the status resource, or 404.</summary>
    public Task<IResult> GetAsync(HttpRequest request, string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync(request, async () =>
            await service.GetAsync(client, id, cancellationToken) is { } status
                ? TypedResults.Ok(status)
                : ApiProblems.NotFound(id));

    /// <summary><c>GET /api/docker-vms?pageSize=&amp;continuationToken=</c>: one page of Docker host requests.</summary>
    public Task<IResult> ListAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync(request, async () =>
        {
            var pageSize = DefaultPageSize;
            string? size = request.Query["pageSize"];
            if (size is not null
                && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            {
                return ApiProblems.InvalidQuery("pageSize", "range", $"pageSize must be an integer from 1 to {MaxPageSize}.");
            }

            // Only tokens this API issued reach the backend: a garbage or altered one would list an empty or wrong page.
            string? token = request.Query["continuationToken"];
            string? backendToken = null;
            if (!string.IsNullOrEmpty(token) && !ContinuationTokens.TryUnwrap(token, out backendToken))
            {
                return ApiProblems.InvalidContinuationToken();
            }

            var page = await service.ListAsync(client, backendToken, pageSize, cancellationToken);
            var continuation = page.ContinuationToken is null ? null : ContinuationTokens.Wrap(page.ContinuationToken);
            var next = continuation is null
                ? null
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{DockerVmRoutes.Collection}?pageSize={pageSize}&continuationToken={Uri.EscapeDataString(continuation)}");
            return TypedResults.Ok(new DockerVmListResponse(page.Items, continuation, next));
        });

    /// <summary><c>DELETE /api/docker-vms/{id}</c>: 202 when deprovisioning is scheduled (or already was); 404; 409.</summary>
    public Task<IResult> DeprovisionAsync(HttpRequest request, string id, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync(request, async () => await service.DeprovisionAsync(client, id, cancellationToken) switch
        {
            DeprovisionAccepted accepted => TypedResults.Accepted(
                DockerVmRoutes.StatusPath(accepted.InstanceId),
                new DeprovisionResponse(
                    accepted.InstanceId,
                    accepted.DeprovisionInstanceId,
                    DockerVmRoutes.StatusPath(accepted.InstanceId),
                    accepted.Duplicate)),
            DeprovisionConflict conflict => ApiProblems.Conflict(conflict.InstanceId, conflict.Reason),
            DeprovisionNotFound notFound => ApiProblems.NotFound(notFound.InstanceId),
            var other => throw new UnreachableException($"Unknown outcome {other.GetType().Name}."),
        });

    /// <summary>
    /// <c>POST /api/webhooks/docker-vms</c>: a Standard Webhooks request whose <c>data</c> is a provisioning request.
    /// 401 unless signed, fresh and not replayed; then the same answers as <see cref="SubmitAsync"/>, with the same
    /// idempotency rules (the <c>webhook-id</c> is not an idempotency key: it only guards against replays).
    /// </summary>
    public Task<IResult> ReceiveWebhookAsync(HttpRequest request, DurableTaskClient client, CancellationToken cancellationToken) =>
        GuardAsync(request, async () =>
        {
            // Read before verifying (the signature covers the exact text), so bounded: unsigned traffic cannot fill memory.
            var buffer = ArrayPool<char>.Shared.Rent(MaxWebhookPayloadChars + 1);
            string payload;
            try
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
                var length = await reader.ReadBlockAsync(buffer.AsMemory(0, MaxWebhookPayloadChars + 1), cancellationToken);
                if (length > MaxWebhookPayloadChars)
                {
                    return ApiProblems.PayloadTooLarge(MaxWebhookPayloadChars);
                }

                payload = new string(buffer, 0, length);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(buffer);
            }

            var verification = await webhookVerifier.VerifyAsync(payload, request.Headers, cancellationToken);
            if (!verification.IsVerified)
            {
                return ApiProblems.WebhookRejected(verification.Rejection);
            }

            // Only an accepted request (2xx, a duplicate included) uses its webhook-id up; after a 4xx or a failure the
            // sender may fix the request and retry under the same id, and the retry is verified again.
            var accepted = false;
            try
            {
                var result = await SubmitWebhookAsync(request, payload, client, cancellationToken);
                accepted = result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 };
                return result;
            }
            finally
            {
                if (!accepted)
                {
                    await webhookVerifier.ReleaseAsync(verification, CancellationToken.None);
                }
            }
        });

    /// <summary><c>GET /api/openapi.json</c>: the checked-in OpenAPI document.</summary>
    public static IResult GetOpenApiDocument() => TypedResults.Text(DockerVmOpenApi.Json, "application/json", Encoding.UTF8);

    private async Task<IResult> SubmitWebhookAsync(HttpRequest request, string payload, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!ApiMediaTypes.IsJson(request.ContentType))
        {
            return ApiProblems.UnsupportedMediaType(request.ContentType);
        }

        var read = RequestReader.Read<InboundWebhookPayload>(payload);
        if (!read.IsRead)
        {
            LogUnreadableBody(logger, read.Failure, read.Errors.Count);
            return ApiProblems.UnreadableBody(read.Failure, read.Errors);
        }

        var envelope = read.Value;

        List<ValidationError> errors = [];
        if (envelope?.Type != InboundWebhookPayload.ProvisionRequestedType)
        {
            errors.Add(new ValidationError("type", "webhook-type", $"type must be '{InboundWebhookPayload.ProvisionRequestedType}'."));
        }

        if (envelope?.Data is null)
        {
            errors.Add(new ValidationError("data", "required", "data must be the provisioning request."));
        }

        if (errors.Count > 0 || envelope?.Data is not { } data)
        {
            return ApiProblems.Validation(errors);
        }

        // Not the webhook-id as a fallback key: a sender's redelivery under a new id must find the first request.
        // Fields are named from the document's root, as the reader names them: the request is under "data".
        var outcome = await service.SubmitAsync(client, data, IdempotencyKey(request), cancellationToken);
        return ToResult(outcome is SubmitRejected rejected ? WithinData(rejected) : outcome);
    }

    private static SubmitRejected WithinData(SubmitRejected rejected) => rejected with
    {
        Errors = [.. rejected.Errors.Select(e => e with { Field = e.Field is "" or "$" ? "data" : "data." + e.Field })],
    };

    private static string? IdempotencyKey(HttpRequest request)
    {
        string? key = request.Headers[DockerVmRoutes.IdempotencyKeyHeader];
        return string.IsNullOrWhiteSpace(key) ? null : key;
    }

    private static IResult ToResult(SubmitOutcome outcome) => outcome switch
    {
        SubmitAccepted { Duplicate: false } accepted => TypedResults.Accepted(
            DockerVmRoutes.StatusPath(accepted.InstanceId),
            new SubmitResponse(accepted.InstanceId, DockerVmRoutes.StatusPath(accepted.InstanceId), Duplicate: false)),
        SubmitAccepted accepted => new LocatedResult<IResult>(
            TypedResults.Ok(new SubmitResponse(accepted.InstanceId, DockerVmRoutes.StatusPath(accepted.InstanceId), Duplicate: true)),
            DockerVmRoutes.StatusPath(accepted.InstanceId)),
        SubmitRejected { Reason: SubmitRejected.Conflict, ExistingInstanceId: { } existing } rejected =>
            ApiProblems.Conflict(existing, rejected.Errors[0].Message),
        SubmitRejected { Reason: SubmitRejected.IdempotencyKeyReused, ExistingInstanceId: { } existing } => ApiProblems.IdempotencyKeyReused(existing),
        SubmitRejected rejected => ApiProblems.Validation(rejected.Errors),
        _ => throw new UnreachableException($"Unknown outcome {outcome.GetType().Name}."),
    };

    private async Task<IResult> GuardAsync(HttpRequest request, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var traceId = Activity.Current?.Id ?? request.HttpContext.TraceIdentifier;
            LogUnexpected(logger, ex, request.Method, request.Path, traceId);
            return ApiProblems.Unexpected(traceId);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Request body refused: {Failure} ({ErrorCount} errors)")]
    private static partial void LogUnreadableBody(ILogger logger, RequestReadFailure failure, int errorCount);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Unexpected error handling {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path, string traceId);
}
