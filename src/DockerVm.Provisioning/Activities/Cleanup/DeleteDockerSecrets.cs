using Azure;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Azure;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Cleanup;

public sealed record DeleteDockerSecretsInput(IReadOnlyList<string> SecretNames);

/// <param name="Deleted">Secrets that existed and were deleted.</param>
/// <param name="Purged">Deleted secrets also purged (soft delete on, purge protection off).</param>
public sealed record DeleteDockerSecretsOutput(IReadOnlyList<string> Deleted, IReadOnlyList<string> Purged);

/// <summary>Deletes a Docker host's secrets and purges them when the vault allows (a vault with purge protection
/// keeps them soft-deleted until retention ends). Idempotent: a missing secret is skipped, a soft-deleted one purged.</summary>
public sealed partial class DeleteDockerSecrets(SecretClient secrets, ILogger<DeleteDockerSecrets> logger)
    : TaskActivity<DeleteDockerSecretsInput, DeleteDockerSecretsOutput>
{
    private static readonly TimeSpan DeletionWait = TimeSpan.FromMinutes(1);

    public override async Task<DeleteDockerSecretsOutput> RunAsync(TaskActivityContext context, DeleteDockerSecretsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var deleted = new List<string>();
        var purged = new List<string>();
        foreach (var name in input.SecretNames)
        {
            var (wasDeleted, recoverable) = await DeleteAsync(name);
            if (wasDeleted)
            {
                deleted.Add(name);
            }

            if (recoverable && await TryPurgeAsync(name))
            {
                purged.Add(name);
            }
        }

        return new DeleteDockerSecretsOutput(deleted, purged);
    }

    /// <summary>Deletes and waits until the deletion is complete (needed before purging).</summary>
    private Task<(bool Deleted, bool Recoverable)> DeleteAsync(string name) =>
        AzureErrors.Call(async () =>
        {
            try
            {
                var operation = await secrets.StartDeleteSecretAsync(name);
                using var timeout = new CancellationTokenSource(DeletionWait);
                var deletedSecret = await operation.WaitForCompletionAsync(TimeSpan.FromSeconds(1), timeout.Token);
                return (true, deletedSecret.Value.RecoveryId is not null);
            }
            catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
            {
                // Gone already, or soft-deleted by an earlier attempt that did not get to purge.
                return (false, await IsSoftDeletedAsync(name));
            }
        });

    private async Task<bool> IsSoftDeletedAsync(string name)
    {
        try
        {
            await secrets.GetDeletedSecretAsync(name);
            return true;
        }
        catch (RequestFailedException ex) when (AzureErrors.IsNotFound(ex))
        {
            return false;
        }
    }

    private async Task<bool> TryPurgeAsync(string name)
    {
        try
        {
            await secrets.PurgeDeletedSecretAsync(name);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 403 or 409 or 404)
        {
            // Purge protection, missing purge permission or already purged: the secret stays soft-deleted (or is gone).
            LogPurgeSkipped(logger, name, ex.Status, ex.ErrorCode);
            return false;
        }
        catch (RequestFailedException ex)
        {
            throw AzureErrors.Translate(ex);
        }
    }

    [LoggerMessage(EventId = 2170, Level = LogLevel.Warning, Message = "Secret {SecretName} deleted but not purged: HTTP {Status} {ErrorCode}")]
    private static partial void LogPurgeSkipped(ILogger logger, string secretName, int status, string? errorCode);
}
