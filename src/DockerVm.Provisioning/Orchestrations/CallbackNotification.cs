using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>Sends an orchestration's event to its caller: one <see cref="SendCallback"/> activity per attempt and a
/// durable timer between attempts (<see cref="CallbackRetry"/>), so no activity sleeps and a host restart resumes the
/// schedule. A delivery that fails is recorded in the result; it never fails the orchestration.</summary>
internal static partial class CallbackNotification
{
    /// <summary>Null when the request asked for no callback. <paramref name="timerResolution"/>: the backend's
    /// (<see cref="WorkflowTimers"/>), so a short backoff is not cut to nothing.</summary>
    public static async Task<CallbackDeliveryResult?> NotifyAsync(
        TaskOrchestrationContext context, CallbackTarget? target, DockerHostEvent hostEvent, TimeSpan timerResolution)
    {
        if (target is null)
        {
            return null;
        }

        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.SendingCallback));
        var result = await CallbackRetry.RunAsync(
            attempt => SendAttemptAsync(context, target, hostEvent, attempt),
            delay => WorkflowTimers.DelayAsync(context, delay, timerResolution));
        if (!result.Delivered)
        {
            LogNotDelivered(context.CreateReplaySafeLogger(nameof(CallbackNotification)), context.InstanceId, hostEvent.Type, result.Attempts, result.Error);
        }

        return result;
    }

    private static async Task<CallbackAttemptResult> SendAttemptAsync(
        TaskOrchestrationContext context, CallbackTarget target, DockerHostEvent hostEvent, int attempt)
    {
        try
        {
            return await context.CallActivityAsync<CallbackAttemptResult>(
                nameof(SendCallback), new SendCallbackInput(target, hostEvent) { Attempt = attempt });
        }
        catch (TaskFailedException ex)
        {
            return new CallbackAttemptResult(false, attempt, null, $"The callback activity failed: {ex.FailureDetails?.ErrorType}");
        }
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "Instance {InstanceId}: {EventType} callback not delivered after {Attempts} attempts: {Error}")]
    private static partial void LogNotDelivered(ILogger logger, string instanceId, DockerHostEventType eventType, int attempts, string? error);
}
