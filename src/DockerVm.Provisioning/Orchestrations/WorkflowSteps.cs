using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// Orchestration building blocks shared by both orchestrators: retry options for Azure calls, the durable
/// poll-until-done loop, and reading the error code of a failed activity. Deterministic: time comes from the context only.
/// </summary>
internal static class WorkflowSteps
{
    /// <summary>Retries only <see cref="TransientProvisioningException"/>s, with exponential backoff; permanent
    /// failures surface at once.</summary>
    public static TaskOptions TransientRetry(WorkflowSettings options, int? attempts = null) =>
        TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: attempts ?? options.TransientRetryAttempts,
            firstRetryInterval: options.TransientRetryFirstInterval,
            backoffCoefficient: 2.0,
            maxRetryInterval: options.TransientRetryMaxInterval)
        {
            HandleFailure = failure => failure.IsCausedBy<TransientProvisioningException>(),
        });

    /// <summary>
    /// Calls <paramref name="pollOnce"/> until <paramref name="isDone"/>, sleeping on a durable timer between polls, and throws
    /// <see cref="WorkflowStepFailedException"/> with <paramref name="timeoutCode"/> once the next poll would be past
    /// <paramref name="deadline"/>. No activity ever waits for the ARM operation itself.
    /// </summary>
    public static async Task<T> PollUntilAsync<T>(
        TaskOrchestrationContext context,
        Func<Task<T>> pollOnce,
        Func<T, bool> isDone,
        DateTime deadline,
        TimeSpan interval,
        string timeoutCode,
        string what)
    {
        // Bounded by the deadline: at most one poll per interval until then (the analyzer rightly refuses while(true)).
        var maxPolls = (int)Math.Min(int.MaxValue, Math.Max(1, Math.Ceiling((deadline - context.CurrentUtcDateTime) / interval) + 1));
        for (var poll = 1; ; poll++)
        {
            var state = await pollOnce();
            if (isDone(state))
            {
                return state;
            }

            var next = context.CurrentUtcDateTime + interval;
            if (next > deadline || poll >= maxPolls)
            {
                throw new WorkflowStepFailedException(timeoutCode, $"{what} did not finish by {deadline:O}.");
            }

            await context.CreateTimer(next, CancellationToken.None);
        }
    }

    /// <summary>
    /// Polls a long-running ARM operation (<paramref name="pollOnce"/>: one short GET) on durable timers until it reports
    /// Succeeded. Failed ends the step with the operation's own error code (else <paramref name="failedCode"/>); no
    /// answer within <paramref name="timeout"/> ends it with <paramref name="timeoutCode"/>.
    /// </summary>
    public static async Task WaitUntilProvisionedAsync(
        TaskOrchestrationContext context,
        Func<Task<ArmOperationState>> pollOnce,
        TimeSpan timeout,
        WorkflowSettings settings,
        string timeoutCode,
        string failedCode,
        string what)
    {
        var state = await PollUntilAsync(
            context, pollOnce, s => s.IsTerminal, context.CurrentUtcDateTime + timeout, settings.PollInterval, timeoutCode, what);
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
}
