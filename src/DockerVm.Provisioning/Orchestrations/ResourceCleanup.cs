using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Configuration;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>The deletion both compensation and deprovisioning run: resources in reverse creation order, each one
/// gone before the next (a NIC cannot go while its VM exists), then the secrets.</summary>
internal static partial class ResourceCleanup
{
    /// <summary>Longest wait between two deletes of a reserved NIC.</summary>
    private static readonly TimeSpan ReservedRetryMaxInterval = TimeSpan.FromSeconds(30);

    /// <summary>Deletes <paramref name="resourceIds"/> (creation order) in reverse; returns the ids deleted. Throws
    /// <see cref="TaskFailedException"/> or <see cref="WorkflowStepFailedException"/> on the first one that cannot be deleted.</summary>
    public static async Task<IReadOnlyList<string>> DeleteResourcesAsync(
        TaskOrchestrationContext context, IReadOnlyList<string> resourceIds, WorkflowSettings options, List<string> deleted)
    {
        var retry = WorkflowSteps.TransientRetry(options);
        foreach (var id in resourceIds.Reverse())
        {
            var started = await DeleteOnceReservationEndedAsync(context, id, options, retry);
            if (!started.AlreadyGone)
            {
                var deadline = context.CurrentUtcDateTime + options.ResourceDeletionTimeout;
                await WorkflowSteps.PollUntilAsync(
                    context,
                    () => context.CallActivityAsync<GetResourceStateOutput>(nameof(GetResourceState), new GetResourceStateInput(id), retry),
                    state => !state.Exists,
                    deadline,
                    options.PollInterval,
                    "ResourceDeletionTimeout",
                    $"Deleting {id}");
            }

            deleted.Add(id);
        }

        return deleted;
    }

    /// <summary>
    /// Starts deleting <paramref name="id"/>. A NIC whose VM was just deleted stays reserved for that VM for 180 s
    /// (<see cref="AzureErrors.NicReservedForAnotherVm"/>, 400): ask again on durable timers, from
    /// <see cref="WorkflowSettings.PollInterval"/> doubling up to 30 s, until the reservation must have ended (180 s
    /// plus one interval after the first refusal, or <see cref="WorkflowSettings.ResourceDeletionTimeout"/> if longer);
    /// then the error is final. Nothing else behind the NIC (VNet, public IP, NSG) can go before it.
    /// </summary>
    private static async Task<DeleteResourceOutput> DeleteOnceReservationEndedAsync(
        TaskOrchestrationContext context, string id, WorkflowSettings options, TaskOptions retry)
    {
        var first = context.CurrentUtcDateTime;
        var deadline = first + TimeSpan.FromTicks(Math.Max(
            (AzureErrors.NicReservationPeriod + ReservedRetryMaxInterval).Ticks, options.ResourceDeletionTimeout.Ticks));
        var interval = options.PollInterval < ReservedRetryMaxInterval ? options.PollInterval : ReservedRetryMaxInterval;

        // Bounded by the deadline (at most one call per PollInterval until then), as PollUntilAsync is.
        var maxAttempts = (int)Math.Min(int.MaxValue, Math.Ceiling((deadline - first) / options.PollInterval) + 1);
        for (var attempt = 1; ; attempt++)
        {
            var started = await context.CallActivityAsync<DeleteResourceOutput>(nameof(DeleteResource), new DeleteResourceInput(id), retry);
            if (started.ReservedMessage is not { } reserved)
            {
                return started;
            }

            var next = context.CurrentUtcDateTime + interval;
            if (next > deadline || attempt >= maxAttempts)
            {
                throw new WorkflowStepFailedException(AzureErrors.NicReservedForAnotherVm, reserved);
            }

            var logger = context.CreateReplaySafeLogger(nameof(ResourceCleanup));
            LogNicReserved(logger, context.InstanceId, id, next);
            await context.CreateTimer(next, CancellationToken.None);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, ReservedRetryMaxInterval.Ticks));
        }
    }

    public static Task<DeleteDockerSecretsOutput> DeleteSecretsAsync(
        TaskOrchestrationContext context, IReadOnlyList<string> secretNames, WorkflowSettings options) =>
        secretNames.Count == 0
            ? Task.FromResult(new DeleteDockerSecretsOutput([], []))
            : context.CallActivityAsync<DeleteDockerSecretsOutput>(
                nameof(DeleteDockerSecrets), new DeleteDockerSecretsInput(secretNames), WorkflowSteps.TransientRetry(options));

    [LoggerMessage(EventId = 2210, Level = LogLevel.Information, Message = "Instance {InstanceId}: {ResourceId} is still reserved for its deleted VM; deleting it again at {RetryAt:O}")]
    private static partial void LogNicReserved(ILogger logger, string instanceId, string resourceId, DateTime retryAt);
}
