using System.Globalization;
using DockerVm.Provisioning.Callbacks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace DockerVm.Api.Webhooks;

/// <summary>
/// Verifies inbound requests signed per Standard Webhooks: all three headers present, timestamp inside the tolerance
/// window, any <c>v1</c> signature of the header's list made with the current or the previous secret (compared in
/// constant time), and each <c>webhook-id</c> held by one request at a time. The id is kept only when the request is
/// accepted: the caller releases it (<see cref="ReleaseAsync"/>) when the answer is not 2xx.
/// </summary>
public sealed partial class InboundWebhookVerifier(
    IOptionsMonitor<InboundWebhookOptions> options,
    IWebhookReplayStore replayStore,
    TimeProvider timeProvider,
    ILogger<InboundWebhookVerifier> logger)
{
    public const string IdHeader = WebhookHeaders.Id;
    public const string TimestampHeader = WebhookHeaders.Timestamp;
    public const string SignatureHeader = WebhookHeaders.Signature;

    /// <summary>
    /// Kept beyond the window, so that instances whose tolerance differs for a moment (a settings change rolling out)
    /// still agree that an id is taken.
    /// </summary>
    internal static readonly TimeSpan ReplayMargin = TimeSpan.FromMinutes(1);

    public async Task<WebhookVerification> VerifyAsync(string payload, IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(headers);
        var settings = options.CurrentValue;
        var secrets = settings.ActiveSecrets();
        if (secrets.Count == 0)
        {
            LogNotConfigured(logger);
            return Reject(WebhookRejection.NotConfigured, null);
        }

        string? id = headers[IdHeader];
        string? timestamp = headers[TimestampHeader];
        var signatures = headers[SignatureHeader];
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || StringValues.IsNullOrEmpty(signatures))
        {
            return Reject(WebhookRejection.MissingHeaders, id);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Reject(WebhookRejection.InvalidTimestamp, id);
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if ((timeProvider.GetUtcNow() - sent).Duration() > settings.TimestampTolerance)
        {
            return Reject(WebhookRejection.StaleTimestamp, id);
        }

        try
        {
            if (!WebhookSignatures.AnyMatches(signatures, id, sent, payload, secrets))
            {
                return Reject(WebhookRejection.BadSignature, id);
            }
        }
        catch (FormatException)
        {
            // A malformed configured secret (start-up validation normally refuses it); never echo it.
            LogNotConfigured(logger);
            return Reject(WebhookRejection.NotConfigured, id);
        }

        // Only after the signature holds, so that unsigned traffic cannot take ids. Past sent + tolerance this id and
        // timestamp are stale everywhere, so the row may then be taken over by a retry with a fresh timestamp.
        var reservation = await replayStore.TryReserveAsync(id, sent + settings.TimestampTolerance + ReplayMargin, cancellationToken);
        if (reservation is null)
        {
            return Reject(WebhookRejection.Replayed, id);
        }

        LogVerified(logger, id);
        return new WebhookVerification(WebhookRejection.None, id, reservation);
    }

    /// <summary>
    /// Gives back the id of a verified request that was not accepted (a 4xx, or a failure), so that the sender can fix
    /// it and retry under the same id; the retry is verified again. Never throws: a release that fails only delays the
    /// retry until the id expires.
    /// </summary>
    public async Task ReleaseAsync(WebhookVerification verification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verification);
        if (verification.Reservation is not { } reservation)
        {
            return;
        }

        try
        {
            await replayStore.ReleaseAsync(reservation, cancellationToken);
            LogReleased(logger, reservation.WebhookId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReleaseFailed(logger, ex, reservation.WebhookId);
        }
    }

    private WebhookVerification Reject(WebhookRejection rejection, string? id)
    {
        LogRejected(logger, rejection, id);
        return new WebhookVerification(rejection, null);
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Inbound webhook {WebhookId} verified")]
    private static partial void LogVerified(ILogger logger, string webhookId);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Inbound webhook {WebhookId} rejected: {Rejection}")]
    private static partial void LogRejected(ILogger logger, WebhookRejection rejection, string? webhookId);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Inbound webhooks are refused: Webhooks:SigningSecret is missing or malformed")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Inbound webhook {WebhookId} was not accepted; its id is free for a retry")]
    private static partial void LogReleased(ILogger logger, string webhookId);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Inbound webhook {WebhookId} was not accepted, but its id could not be freed; a retry is refused until it expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string webhookId);
}
