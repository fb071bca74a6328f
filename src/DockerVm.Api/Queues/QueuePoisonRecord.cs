using System.Text.Json;
using System.Text.Json.Serialization;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Api.Queues;

/// <summary>
/// What an invalid request message becomes in <c>&lt;queue&gt;-poison</c>: the original text wrapped with the reason and
/// every validation error, so that an operator sees why it was refused without replaying it. Both hosts write this
/// shape; retrying such a message could never succeed, so it is moved on the first delivery.
/// </summary>
public sealed record QueuePoisonRecord
{
    public required string Reason { get; init; }

    public required IReadOnlyList<ValidationError> Errors { get; init; }

    public required string OriginalMessage { get; init; }

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
        return new QueuePoisonRecord
        {
            Reason = rejected.Reason,
            Errors = rejected.Errors,
            OriginalMessage = originalMessage,
            MessageId = messageId,
            DequeueCount = dequeueCount,
            InsertedOn = insertedOn,
            RejectedAt = now,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static QueuePoisonRecord? FromJson(string json) => JsonSerializer.Deserialize<QueuePoisonRecord>(json, JsonOptions);
}
