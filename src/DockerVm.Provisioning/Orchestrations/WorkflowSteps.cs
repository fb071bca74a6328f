using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// Orchestration building blocks shared by both orchestrators: retry options for Azure calls, the durable wait for a
/// long-running ARM operation, and reading the error code of a failed activity. Deterministic: time comes from the
/// context only.
/// </summary>
internal static class WorkflowSteps
{
    /// <summary>Retries only <see cref="TransientProvisioningException"/>s, with exponential backoff; permanent
    /// failures surface at once. The first retry is never sooner than the backend's timers can wait.</summary>
    public static TaskOptions TransientRetry(WorkflowSettings options, int? attempts = null) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: attempts ?? options.TransientRetryAttempts,
            firstRetryInterval: options.TransientRetryFirstInterval > options.TimerResolution ? options.TransientRetryFirstInterval : options.TimerResolution,
            backoffCoefficient: 2.0,
            maxRetryInterval: options.TransientRetryMaxInterval)
        {
            HandleFailure = failure => failure.IsCausedBy<TransientProvisioningException>(),
        });

    /// <summary>
    /// Checks an operation with <paramref name="check"/> (one short activity) until <paramref name="stateOf"/> its
    /// answer is terminal, on durable timers (<see cref="PollSchedule"/>: the first check when the operation is
    /// <paramref name="expected"/> to be done and not before <paramref name="retryAfter"/>, then a bounded backoff that
    /// honours each answer's Retry-After). The last check is at <paramref name="deadline"/>; still in progress then, it
    /// throws <see cref="WorkflowStepFailedException"/> with <paramref name="timeoutCode"/>. No activity waits.
    /// </summary>
    public static async Task<T> WaitAsync<T>(
        TaskOrchestrationContext context,
        WorkflowSettings settings,
        Func<Task<T>> check,
        Func<T, ArmOperationState> stateOf,
        TimeSpan expected,
        TimeSpan? retryAfter,
        DateTime deadline,
        string timeoutCode,
        string what)
    {
        await DelayNotPastAsync(context, settings, PollSchedule.FirstWait(expected, retryAfter, settings), deadline);

        // Bounded by the deadline (the analyzer rightly refuses while(true)): no two checks closer than the shortest wait.
        var maxChecks = (int)Math.Min(int.MaxValue, Math.Ceiling((deadline - context.CurrentUtcDateTime) / PollSchedule.ShortestWait(settings)) + 2);
        for (var answers = 1; ; answers++)
        {
            var answer = await check();
            var state = stateOf(answer);
            if (state.IsTerminal)
            {
                return answer;
            }

            if (context.CurrentUtcDateTime >= deadline || answers >= maxChecks)
            {
                throw new WorkflowStepFailedException(timeoutCode, $"{what} did not finish by {deadline:O}.");
            }

            await DelayNotPastAsync(context, settings, PollSchedule.NextWait(answers, expected, state.RetryAfter, settings), deadline);
        }
    }

    /// <summary>Waits for an operation an activity started (<see cref="GetArmOperationStatus"/> per check); returns its
    /// terminal state. An operation whose first response was final is not asked about at all.</summary>
    public static Task<ArmOperationState> WaitForOperationAsync(
        TaskOrchestrationContext context,
        WorkflowSettings settings,
        ArmOperationHandle operation,
        TimeSpan expected,
        TimeSpan timeout,
        TaskOptions retry,
        string timeoutCode,
        string what)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Done
            ? Task.FromResult(new ArmOperationState(ArmProvisioningStates.Succeeded, null, null))
            : WaitAsync(
                context,
                settings,
                () => context.CallActivityAsync<ArmOperationState>(nameof(GetArmOperationStatus), operation, retry),
                state => state,
                expected,
                operation.RetryAfter,
                context.CurrentUtcDateTime + timeout,
                timeoutCode,
                what);
    }

    /// <summary>
    /// <see cref="WaitForOperationAsync"/> for an operation that must succeed: Failed ends the step with the
    /// operation's own error code (else <paramref name="failedCode"/>), no answer within <paramref name="timeout"/>
    /// with <paramref name="timeoutCode"/>.
    /// </summary>
    public static async Task WaitUntilSucceededAsync(
        TaskOrchestrationContext context,
        WorkflowSettings settings,
        ArmOperationHandle operation,
        TimeSpan expected,
        TimeSpan timeout,
        TaskOptions retry,
        string timeoutCode,
        string failedCode,
        string what)
    {
        var state = await WaitForOperationAsync(context, settings, operation, expected, timeout, retry, timeoutCode, what);
        ThrowIfFailed(state, failedCode, what);
    }

    public static void ThrowIfFailed(ArmOperationState state, string failedCode, string what)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.IsFailed)
        {
            throw new WorkflowStepFailedException(state.ErrorCode ?? failedCode, state.ErrorMessage ?? $"{what} ended in state {state.ProvisioningState}.");
        }
    }

    /// <summary>ARM (or workflow) error code and message of a failed activity.</summary>
    public static (string Code, string Message) Describe(TaskFailedException exception) =>
        exception.FailureDetails is { } failure && ProvisioningException.ReadErrorCode(failure) is { } code
            ? (code, ProvisioningException.ReadMessage(failure))
            : ("ActivityFailed", $"{exception.TaskName} failed: {exception.FailureDetails?.ErrorType}");

    /// <summary>Sleeps <paramref name="wait"/>, cut short at <paramref name="deadline"/> so the last check falls on it.</summary>
    private static Task DelayNotPastAsync(TaskOrchestrationContext context, WorkflowSettings settings, TimeSpan wait, DateTime deadline)
    {
        var left = deadline - context.CurrentUtcDateTime;
        return WorkflowTimers.DelayAsync(context, wait < left ? wait : left, settings.TimerResolution);
    }
}
