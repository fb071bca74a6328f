using System.Globalization;
using DockerVm.Provisioning.Callbacks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace DockerVm.Api.Webhooks;

/// <summary>
/// Verifies inbound requests signed per Standard Webhooks: all three headers present, timestamp inside the tolerance
/// window, HMAC signature compared in constant time (by the StandardWebhooks library), and each <c>webhook-id</c>
/// accepted once while its timestamp could still pass the window.
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

    public async Task<WebhookVerification> VerifyAsync(string payload, IHeaderDictionary headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(headers);
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(settings.SigningSecret))
        {
            LogNotConfigured(logger);
            return Reject(WebhookRejection.NotConfigured, null);
        }

        string? id = headers[IdHeader];
        string? timestamp = headers[TimestampHeader];
        string? signature = headers[SignatureHeader];
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return Reject(WebhookRejection.MissingHeaders, id);
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Reject(WebhookRejection.InvalidTimestamp, id);
        }

        // Checked here against the injectable clock too, so the window is configurable and testable.
        var sent = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if ((timeProvider.GetUtcNow() - sent).Duration() > settings.TimestampTolerance)
        {
            return Reject(WebhookRejection.StaleTimestamp, id);
        }

        try
        {
            new StandardWebhook(settings.SigningSecret).Verify(payload, headers);
        }
        catch (WebhookVerificationException)
        {
            return Reject(WebhookRejection.BadSignature, id);
        }
        catch (FormatException)
        {
            // A malformed configured secret; never echo it.
            LogNotConfigured(logger);
            return Reject(WebhookRejection.NotConfigured, id);
        }

        // Only after the signature holds, so that unsigned traffic cannot burn ids. Twice the window covers both directions.
        if (!await replayStore.TryRememberAsync(id, settings.TimestampTolerance * 2, cancellationToken).ConfigureAwait(false))
        {
            return Reject(WebhookRejection.Replayed, id);
        }

        LogVerified(logger, id);
        return new WebhookVerification(WebhookRejection.None, id);
    }

    /// <summary>Releases a verified id whose request failed downstream, so that the sender's retry is not taken for a replay.</summary>
    public Task ReleaseAsync(string webhookId, CancellationToken cancellationToken) => replayStore.ForgetAsync(webhookId, cancellationToken);

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
}
