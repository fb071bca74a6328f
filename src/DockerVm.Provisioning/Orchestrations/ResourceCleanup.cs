using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Configuration;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>The deletion both compensation and deprovisioning run: resources in reverse creation order, each one
/// gone before the next (a NIC cannot go while its VM exists), then the secrets.</summary>
internal static class ResourceCleanup
{
    /// <summary>Deletes <paramref name="resourceIds"/> (creation order) in reverse; returns the ids deleted. Throws
    /// <see cref="TaskFailedException"/> or <see cref="WorkflowStepFailedException"/> on the first one that cannot be deleted.</summary>
    public static async Task<IReadOnlyList<string>> DeleteResourcesAsync(
        TaskOrchestrationContext context, IReadOnlyList<string> resourceIds, WorkflowSettings options, List<string> deleted)
    {
        var retry = WorkflowSteps.TransientRetry(options);
        foreach (var id in resourceIds.Reverse())
        {
            var started = await context.CallActivityAsync<DeleteResourceOutput>(nameof(DeleteResource), new DeleteResourceInput(id), retry);
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

    public static Task<DeleteDockerSecretsOutput> DeleteSecretsAsync(
        TaskOrchestrationContext context, IReadOnlyList<string> secretNames, WorkflowSettings options) =>
        secretNames.Count == 0
            ? Task.FromResult(new DeleteDockerSecretsOutput([], []))
            : context.CallActivityAsync<DeleteDockerSecretsOutput>(
                nameof(DeleteDockerSecrets), new DeleteDockerSecretsInput(secretNames), WorkflowSteps.TransientRetry(options));
}
