using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Telemetry;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Callbacks;

public sealed record SendCallbackInput(CallbackTarget Target, DockerHostEvent Event)
{
    /// <summary>Which attempt this is, from 1; absent in inputs recorded before callbacks were retried by the
    /// orchestration, which read as the first.</summary>
    public int Attempt { get; init; } = 1;
}

/// <summary>One attempt at delivering the signed CloudEvent: a single POST, never a wait. Never fails: the result
/// says whether to try again and when; the orchestration waits on a durable timer in between.</summary>
public sealed class SendCallback(ICallbackSender sender, ProvisioningMetrics metrics) : TaskActivity<SendCallbackInput, CallbackAttemptResult>
{
    public override async Task<CallbackAttemptResult> RunAsync(TaskActivityContext context, SendCallbackInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await sender.SendAsync(input.Target, input.Event, input.Attempt, CancellationToken.None);
        if (result.RetryAfter is null)
        {
            // Counted once per callback, when its outcome is final.
            metrics.RecordCallback(input.Event.Type, result.ToDelivery());
        }

        return result;
    }
}
