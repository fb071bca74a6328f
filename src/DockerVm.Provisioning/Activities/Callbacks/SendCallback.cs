using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Telemetry;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Callbacks;

public sealed record SendCallbackInput(CallbackTarget Target, DockerHostEvent Event);

/// <summary>Delivers the signed CloudEvent. Never fails: a receiver that keeps failing is reported in the result,
/// which the orchestrator records in its output.</summary>
public sealed class SendCallback(ICallbackSender sender, ProvisioningMetrics metrics) : TaskActivity<SendCallbackInput, CallbackDeliveryResult>
{
    public override async Task<CallbackDeliveryResult> RunAsync(TaskActivityContext context, SendCallbackInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await sender.SendAsync(input.Target, input.Event, CancellationToken.None);
        metrics.RecordCallback(input.Event.Type, result);
        return result;
    }
}
