using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Workflow;

/// <param name="Run">Set by the provisioning orchestration so the outcome is measured here, once, rather than in the
/// replaying orchestrator; null for deprovisioning callbacks.</param>
public sealed record SendCallbackInput(CallbackTarget Target, DockerHostEvent Event, ProvisioningRun? Run = null);

/// <summary>What the provisioning metrics need beyond the event: the installer and when the run started
/// (<c>context.CurrentUtcDateTime</c>, so the duration is the same on every retry).</summary>
public sealed record ProvisioningRun(DockerInstaller Installer, DateTimeOffset StartedAt);

/// <summary>Delivers the signed CloudEvent. Never fails: a receiver that keeps failing is reported in the result,
/// which the orchestrator records in its output.</summary>
public sealed class SendCallback(ICallbackSender sender, ProvisioningMetrics metrics) : TaskActivity<SendCallbackInput, CallbackDeliveryResult>
{
    public override async Task<CallbackDeliveryResult> RunAsync(TaskActivityContext context, SendCallbackInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = await sender.SendAsync(input.Target, input.Event, CancellationToken.None);
        metrics.RecordCallback(input.Event.Type, result);
        if (input.Run is { } run && input.Event.OccurredAt is { } endedAt)
        {
            metrics.RecordProvisioningCompleted(input.Event.Type == DockerHostEventType.Provisioned ? null : input.Event.ErrorCode ?? "Unknown", run.Installer, endedAt - run.StartedAt);
        }

        return result;
    }
}
