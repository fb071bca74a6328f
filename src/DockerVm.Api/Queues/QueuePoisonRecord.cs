using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Api.Queues;

/// <summary>
/// What a refused request message becomes in <c>&lt;queue&gt;-poison</c>: the reason, every error, and the original
/// message made safe to keep (<see cref="PoisonRedaction"/>: private keys and secret values replaced by
/// <c>[redacted]</c>, the places listed in <see cref="Redactions"/>; cut after <see cref="MaxOriginalChars"/>), with the
/// SHA-256 of the exact original for correlation (<c>printf %s "$message" | sha256sum</c>). Both hosts write this
/// shape, only through <see cref="Create(SubmitRejected, string, string?, long, DateTimeOffset?, DateTimeOffset)"/> and
/// <see cref="Create(string, IReadOnlyList{ValidationError}, string, string?, long, DateTimeOffset?, DateTimeOffset)"/>.
/// An invalid request can never succeed, so it is moved on the first delivery.
/// </summary>
public sealed record QueuePoisonRecord
{
    /// <summary>A poison message must fit in a queue message (64 KiB) together with its errors.</summary>
    public const int MaxOriginalChars = 16 * 1024;

    public required string Reason { get; init; }

    public required IReadOnlyList<ValidationError> Errors { get; init; }

    /// <summary>The original message with sensitive content replaced by <c>[redacted]</c>, possibly cut.</summary>
    public required string OriginalMessage { get; init; }

    /// <summary>Lowercase hex SHA-256 of the original message's UTF-8 bytes, before redaction.</summary>
    public required string OriginalMessageSha256 { get; init; }

    public int OriginalLength { get; init; }

    public bool OriginalMessageTruncated { get; init; }

    /// <summary>Where content was replaced (<c>$.sshPublicKey</c>, or <c>text</c> for a message that is not JSON).</summary>
    public IReadOnlyList<string> Redactions { get; init; } = [];

    public string? MessageId { get; init; }

    public long DequeueCount { get; init; }

    public DateTimeOffset? InsertedOn { get; init; }

    public required DateTimeOffset RejectedAt { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static QueuePoisonRecord Create(
        SubmitRejected rejected, string originalMessage, string? messageId, long dequeueCount, DateTimeOffset? insertedOn, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        return Create(rejected.Reason, rejected.Errors, originalMessage, messageId, dequeueCount, insertedOn, now);
    }

    public static QueuePoisonRecord Create(
        string reason,
        IReadOnlyList<ValidationError> errors,
        string originalMessage,
        string? messageId,
        long dequeueCount,
        DateTimeOffset? insertedOn,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(errors);
        originalMessage ??= string.Empty;
        var (redacted, redactions) = PoisonRedaction.Redact(originalMessage);
        var truncated = redacted.Length > MaxOriginalChars;
        return new QueuePoisonRecord
        {
            Reason = reason,

            // Errors name fields and rules, never values; a member name or an exception message could still carry one.
            Errors = [.. errors.Take(50).Select(e => e with { Field = PoisonRedaction.RedactText(e.Field), Message = PoisonRedaction.RedactText(e.Message) })],
            OriginalMessage = truncated ? redacted[..MaxOriginalChars] : redacted,
            OriginalMessageSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(originalMessage))),
            OriginalLength = originalMessage.Length,
            OriginalMessageTruncated = truncated,
            Redactions = redactions,
            MessageId = messageId,
            DequeueCount = dequeueCount,
            InsertedOn = insertedOn,
            RejectedAt = now,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static QueuePoisonRecord? FromJson(string json) => JsonSerializer.Deserialize<QueuePoisonRecord>(json, JsonOptions);
}
