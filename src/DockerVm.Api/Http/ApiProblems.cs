using DockerVm.Api.Webhooks;
using DockerVm.Provisioning.Requests;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DockerVm.Api.Http;

/// <summary>
/// The one place where every error of the HTTP API becomes an RFC 9457 problem (<c>application/problem+json</c>).
/// Handlers never build error bodies themselves.
/// </summary>
public static class ApiProblems
{
    /// <summary>Extension member holding field errors: <c>{ "field": [ { "rule", "message" } ] }</c>.</summary>
    public const string ErrorsKey = "errors";

    public static ProblemHttpResult Validation(IEnumerable<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var byField = errors
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => new FieldError(e.Rule, e.Message)).ToArray(), StringComparer.Ordinal);
        return Problem(
            StatusCodes.Status400BadRequest,
            "The request is invalid.",
            "One or more fields break a rule; see errors.",
            byField);
    }

    /// <summary>A body the request reader refused: not JSON (400), not the contract (400, every field at fault), empty
    /// (400) or too large (413).</summary>
    public static ProblemHttpResult UnreadableBody(RequestReadFailure failure, IReadOnlyList<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (failure == RequestReadFailure.Empty)
        {
            return EmptyBody();
        }

        if (failure == RequestReadFailure.TooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"At most {RequestJson.MaxBytes} bytes are accepted.");
        }

        var first = errors.Count > 0 ? errors[0].Message : "The request body could not be read.";
        return Problem(
            StatusCodes.Status400BadRequest,
            failure == RequestReadFailure.Syntax ? "The request body is not valid JSON." : "The request body does not match the request contract.",
            errors.Count > 1 ? $"{first} ({errors.Count - 1} more in errors.)" : first,
            errors
                .GroupBy(e => e.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(e => new FieldError(e.Rule, e.Message)).ToArray(), StringComparer.Ordinal));
    }

    public static ProblemHttpResult EmptyBody() => Problem(
        StatusCodes.Status400BadRequest,
        "The request body is empty.",
        "Send a JSON object describing the Docker host.",
        new Dictionary<string, FieldError[]>(StringComparer.Ordinal) { ["$"] = [new FieldError(ValidationRules.Required, "A JSON body is required.")] });

    public static ProblemHttpResult UnsupportedMediaType(string? contentType) => Problem(
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported media type.",
        $"Expected application/json, got '{contentType ?? "none"}'.");

    public static ProblemHttpResult PayloadTooLarge(int maxCharacters) => Problem(
        StatusCodes.Status413PayloadTooLarge,
        "The request body is too large.",
        $"At most {maxCharacters} characters are accepted.");

    public static ProblemHttpResult InvalidQuery(string parameter, string rule, string message) => Problem(
        StatusCodes.Status400BadRequest,
        "The query is invalid.",
        message,
        new Dictionary<string, FieldError[]>(StringComparer.Ordinal) { [parameter] = [new FieldError(rule, message)] });

    public static ProblemHttpResult InvalidContinuationToken() => InvalidQuery(
        "continuationToken",
        "continuation-token",
        "continuationToken is not a token this API issued (or it was altered); start from the first page, or pass the 'next' link of the previous page unchanged.");

    public static ProblemHttpResult NotFound(string id) => Problem(
        StatusCodes.Status404NotFound,
        "Docker host not found.",
        $"No Docker host request has id '{id}'.");

    /// <summary>The Docker host <paramref name="id"/> owns (or its state) does not allow the request; <c>instance</c>
    /// and <c>instanceId</c> name the existing instance.</summary>
    public static ProblemHttpResult Conflict(string id, string detail) => Problem(
        StatusCodes.Status409Conflict,
        "The Docker host is not in a state that allows this.",
        detail,
        instance: DockerVmRoutes.StatusPath(id),
        instanceId: id);

    /// <summary>Same idempotency key, different request: the first request wins and this one is refused.</summary>
    public static ProblemHttpResult IdempotencyKeyReused(string id) => Problem(
        StatusCodes.Status422UnprocessableEntity,
        "The idempotency key was already used for a different request.",
        $"The key was first used for the request of instance '{id}'. Send that request unchanged, or use a new Idempotency-Key.",
        instance: DockerVmRoutes.StatusPath(id),
        instanceId: id);

    public static ProblemHttpResult WebhookRejected(WebhookRejection rejection) => Problem(
        StatusCodes.Status401Unauthorized,
        "The webhook signature could not be verified.",
        rejection switch
        {
            WebhookRejection.MissingHeaders => "The request lacks webhook-id, webhook-timestamp or webhook-signature.",
            WebhookRejection.InvalidTimestamp => "webhook-timestamp is not a Unix time in seconds.",
            WebhookRejection.StaleTimestamp => "webhook-timestamp is outside the accepted window.",
            WebhookRejection.BadSignature => "No signature in webhook-signature matches the payload.",
            WebhookRejection.Replayed => "This webhook-id was already accepted.",
            _ => "Inbound webhooks are not accepted by this service.",
        });

    /// <summary>Anything unexpected: no exception text leaves the service, only the trace id to correlate with logs.</summary>
    public static ProblemHttpResult Unexpected(string? traceId) => Problem(
        StatusCodes.Status500InternalServerError,
        "An unexpected error occurred.",
        "The request could not be processed; retry later or quote the trace id.",
        traceId: traceId);

    private static ProblemHttpResult Problem(
        int status,
        string title,
        string detail,
        IReadOnlyDictionary<string, FieldError[]>? errors = null,
        string? instance = null,
        string? traceId = null,
        string? instanceId = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = instance };
        if (errors is not null)
        {
            problem.Extensions[ErrorsKey] = errors;
        }

        if (instanceId is not null)
        {
            problem.Extensions["instanceId"] = instanceId;
        }

        if (traceId is not null)
        {
            problem.Extensions["traceId"] = traceId;
        }

        return TypedResults.Problem(problem);
    }
}
