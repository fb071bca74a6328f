using Azure.Core;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// The deletion both compensation and deprovisioning run, in the stages ARM's dependencies allow: the VM (its OS disk
/// goes with it, <c>deleteOption: Delete</c>), then the NIC (attached to the VM, and reserved for it a while after),
/// then everything else at once (NSG, public IP and VNet depend only on the NIC). Each stage starts its DELETEs and
/// waits for them on durable timers; then the secrets.
/// </summary>
internal static partial class ResourceCleanup
{
    /// <summary>Longest wait between two deletes of a reserved NIC.</summary>
    private static readonly TimeSpan ReservedRetryMaxInterval = TimeSpan.FromSeconds(30);

    /// <summary>Deletes <paramref name="resourceIds"/> stage by stage, adding each one to <paramref name="deleted"/> once it
    /// is gone. Throws <see cref="TaskFailedException"/> or <see cref="WorkflowStepFailedException"/> when a resource cannot
    /// be deleted, after the rest of its stage finished; later stages are not started.</summary>
    public static async Task<IReadOnlyList<string>> DeleteResourcesAsync(
        TaskOrchestrationContext context, IReadOnlyList<string> resourceIds, WorkflowSettings options, List<string> deleted)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        var retry = WorkflowSteps.TransientRetry(options);
        foreach (var stage in Stages(resourceIds))
        {
            await Task.WhenAll(stage.Select(id => DeleteAsync(context, id, options, retry, deleted)));
        }

        return deleted;
    }

    /// <summary>VMs first, then NICs, then the rest; each stage in the order given (creation order).</summary>
    internal static IReadOnlyList<IReadOnlyList<string>> Stages(IReadOnlyList<string> resourceIds)
    {
        static int StageOf(string id) => new ResourceIdentifier(id).ResourceType.ToString() switch
        {
            var t when t.Equals("Microsoft.Compute/virtualMachines", StringComparison.OrdinalIgnoreCase) => 0,
            var t when t.Equals("Microsoft.Network/networkInterfaces", StringComparison.OrdinalIgnoreCase) => 1,
            _ => 2,
        };

        return [.. resourceIds.GroupBy(StageOf).OrderBy(g => g.Key).Select(g => (IReadOnlyList<string>)[.. g])];
    }

    private static async Task DeleteAsync(TaskOrchestrationContext context, string id, WorkflowSettings options, TaskOptions retry, List<string> deleted)
    {
        var started = await DeleteOnceReservationEndedAsync(context, id, options, retry);
        if (!started.AlreadyGone)
        {
            await WorkflowSteps.WaitUntilSucceededAsync(
                context,
                options,
                started.Operation ?? ArmOperationHandle.ByResource(id, isDelete: true),
                options.ExpectedDeletionDuration,
                options.ResourceDeletionTimeout,
                retry,
                "ResourceDeletionTimeout",
                "ResourceDeletionFailed",
                $"Deleting {id}");
        }

        deleted.Add(id);
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

        // Bounded by the deadline (at most one call per PollInterval until then), as WorkflowSteps.WaitAsync is.
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
            await WorkflowTimers.DelayAsync(context, interval, options.TimerResolution);
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
