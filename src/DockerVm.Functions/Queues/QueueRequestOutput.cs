using Microsoft.Azure.Functions.Worker;

namespace DockerVm.Functions.Queues;

/// <summary>Outputs of the queue trigger: a poison record for an invalid message, nothing otherwise.</summary>
public sealed class QueueRequestOutput
{
    public static QueueRequestOutput None { get; } = new();

    [QueueOutput(ProvisionRequestQueueFunction.PoisonQueueName)]
    public string? PoisonMessage { get; init; }
}
