using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using DockerVm.Provisioning.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>
/// POSTs a <see cref="DockerHostEvent"/> as a CloudEvent signed per Standard Webhooks, one attempt per call. Every
/// attempt carries the same <c>webhook-id</c> (the CloudEvent id) and a fresh <c>webhook-timestamp</c>/<c>webhook-signature</c>.
/// Transient failures (no response, 408, 429, 5xx) ask for another attempt after an exponential backoff that honours
/// <c>Retry-After</c> (<see cref="CallbackAttemptResult.RetryAfter"/>); other 4xx and the last attempt are final.
/// The waiting happens outside, in <see cref="CallbackRetry"/> (durable timers in the orchestrations). Delivery
/// failures are reported in the result, never thrown.
/// </summary>
public sealed partial class CallbackSender(
    IHttpClientFactory httpClientFactory,
    CallbackUrlGuard guard,
    IOptionsMonitor<CallbackOptions> options,
    TimeProvider timeProvider,
    ILogger<CallbackSender> logger) : ICallbackSender
{
    /// <summary>Name of the <see cref="HttpClient"/> registered by <see cref="CallbackServiceCollectionExtensions.AddDockerVmCallbacks"/>.</summary>
    public const string HttpClientName = "DockerVm.Callbacks";

    public async Task<CallbackAttemptResult> SendAsync(CallbackTarget target, DockerHostEvent hostEvent, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(hostEvent);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var settings = options.CurrentValue;
        var eventType = DockerHostCloudEvents.EventType(hostEvent.Type);
        var host = target.Url.IsAbsoluteUri ? target.Url.IdnHost : "(relative)";

        var keyName = target.SigningKey ?? CallbackOptions.DefaultSigningKeyName;
        if (!settings.SigningKeys.TryGetValue(keyName, out var secret) || !CallbackOptionsValidator.IsUsableSecret(secret))
        {
            LogSigningKeyMissing(logger, keyName);
            return new CallbackAttemptResult(false, 0, null, $"callback signing key '{keyName}' is not configured or not a valid Standard Webhooks secret");
        }

        if (guard.WhyRefused(target.Url) is { } refusal)
        {
            LogRefused(logger, host, refusal);
            return new CallbackAttemptResult(false, 0, null, "callback URL refused: " + refusal);
        }

        var webhook = new StandardWebhook(secret);
        var cloudEvent = DockerHostCloudEvents.Create(hostEvent, new Uri(settings.Source, UriKind.RelativeOrAbsolute), hostEvent.OccurredAt);
        var (body, contentType) = DockerHostCloudEvents.Encode(cloudEvent);
        var payload = System.Text.Encoding.UTF8.GetString(body);
        var eventId = cloudEvent.Id!;

        LogAttempt(logger, attempt, eventType, eventId, host);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var timestamp = timeProvider.GetUtcNow();
        request.Headers.Add(WebhookHeaders.Id, eventId);
        request.Headers.Add(WebhookHeaders.Timestamp, timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookHeaders.Signature, webhook.Sign(eventId, timestamp, payload));

        var client = httpClientFactory.CreateClient(HttpClientName);
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(settings.AttemptTimeout);
        int? status = null;
        string error;
        TimeSpan? retryAfter = null;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(logger, eventType, eventId, host, attempt, status.Value);
                return new CallbackAttemptResult(true, attempt, status, null);
            }

            error = $"receiver answered {status} {response.ReasonPhrase}";
            if (!IsTransient(response.StatusCode))
            {
                LogPermanentFailure(logger, eventId, host, status.Value, attempt);
                return new CallbackAttemptResult(false, attempt, status, error);
            }

            retryAfter = RetryAfter(response.Headers.RetryAfter);
            LogAttemptFailed(logger, eventId, host, attempt, status.Value);
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refused)
        {
            LogRefused(logger, host, refused.Message);
            return new CallbackAttemptResult(false, attempt, null, "callback URL refused: " + refused.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            error = ex is OperationCanceledException ? $"no response within {settings.AttemptTimeout}" : $"no response: {Describe(ex)}";
            LogNoResponse(logger, eventId, host, attempt, error);
        }

        if (attempt >= settings.MaxAttempts)
        {
            LogGaveUp(logger, eventType, eventId, host, attempt);
            return new CallbackAttemptResult(false, attempt, status, error);
        }

        return new CallbackAttemptResult(false, attempt, status, error, Backoff(settings, attempt, retryAfter));
    }

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow(),
        _ => null,
    };

    /// <summary>InitialBackoff · 2^(attempt-1), at least what Retry-After asks, capped at MaxBackoff.</summary>
    private static TimeSpan Backoff(CallbackOptions settings, int attempt, TimeSpan? retryAfter)
    {
        var exponential = settings.InitialBackoff * Math.Pow(2, Math.Min(attempt - 1, 20));
        var delay = retryAfter is { } asked && asked > exponential ? asked : exponential;
        return delay > settings.MaxBackoff ? settings.MaxBackoff : delay;
    }

    private static CallbackUrlRefusedException? FindRefusal(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is CallbackUrlRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>Socket-level reason without the URL (which may carry a caller's token in its query).</summary>
    private static string Describe(Exception ex) =>
        ex is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http ? http.HttpRequestError.ToString() : ex.GetType().Name;

    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug, Message = "Callback attempt {Attempt} of {EventType} {EventId} to {Host}")]
    private static partial void LogAttempt(ILogger logger, int attempt, string eventType, string eventId, string host);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Callback {EventType} {EventId} delivered to {Host} on attempt {Attempt} with status {StatusCode}")]
    private static partial void LogDelivered(ILogger logger, string eventType, string eventId, string host, int attempt, int statusCode);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Callback {EventId} to {Host} attempt {Attempt} failed with status {StatusCode}; will retry")]
    private static partial void LogAttemptFailed(ILogger logger, string eventId, string host, int attempt, int statusCode);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Callback {EventId} to {Host} attempt {Attempt} got no response: {Reason}")]
    private static partial void LogNoResponse(ILogger logger, string eventId, string host, int attempt, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Callback {EventId} to {Host} rejected with status {StatusCode} on attempt {Attempt}; not retried")]
    private static partial void LogPermanentFailure(ILogger logger, string eventId, string host, int statusCode, int attempt);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Callback {EventType} {EventId} to {Host} not delivered after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, string eventType, string eventId, string host, int attempts);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Callback to {Host} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "Callback signing key {KeyName} is not configured or not a valid Standard Webhooks secret")]
    private static partial void LogSigningKeyMissing(ILogger logger, string keyName);
}
