using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Application;

/// <summary>
/// The application layer both hosts call: submit, read, list and deprovision Docker hosts over a
/// <see cref="DurableTaskClient"/>. Hosts only map its outcomes to HTTP or queue semantics.
/// </summary>
public sealed partial class DockerVmService(
    ProvisionRequestValidator validator,
    IOptions<AzureOptions> azureOptions,
    IOptions<ProvisioningOptions> provisioningOptions,
    ILogger<DockerVmService> logger)
{
    /// <summary>Suffix of the deprovisioning instance id: <c>{instanceId}-deprovision</c>.</summary>
    public const string DeprovisionSuffix = "-deprovision";

    private static readonly OrchestrationRuntimeStatus[] ActiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>Validates the request and schedules <see cref="ProvisionDockerVm"/> unless the instance its
    /// idempotency key (header wins over body) or resource group + name maps to already exists, has not failed and has
    /// not been deprovisioned (then the request is a duplicate and nothing is scheduled).</summary>
    public async Task<SubmitOutcome> SubmitAsync(
        DurableTaskClient client,
        ProvisionDockerVmRequest request,
        string? idempotencyKeyHeader,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);

        if (!string.IsNullOrWhiteSpace(idempotencyKeyHeader))
        {
            request = request with { IdempotencyKey = idempotencyKeyHeader.Trim() };
        }

        if (!validator.TryValidate(request, out var spec, out var errors))
        {
            LogRejected(logger, errors.Count);
            return new SubmitRejected(SubmitRejected.ValidationFailed, errors);
        }

        var instanceId = InstanceIds.ForProvisioning(spec);
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (existing is not null && !HasFailed(existing) && !await IsDeprovisionedAsync(client, existing, ct))
        {
            LogDuplicate(logger, instanceId);
            return new SubmitAccepted(instanceId, Duplicate: true);
        }

        // The workflow's timing travels in the input: deterministic on replay, and no settings round trip per run.
        var input = spec with { Settings = WorkflowSettings.From(provisioningOptions.Value) };
        if (!await TryScheduleAsync(client, nameof(ProvisionDockerVm), input, instanceId, existing, ct))
        {
            LogDuplicate(logger, instanceId);
            return new SubmitAccepted(instanceId, Duplicate: true);
        }

        LogScheduled(logger, instanceId, spec.ResourceGroup, spec.Name);
        return new SubmitAccepted(instanceId, Duplicate: false);
    }

    /// <summary>The status of a provisioning instance (including its deprovisioning, if requested); null if unknown.</summary>
    public async Task<DockerVmStatus?> GetAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);

        var provisioning = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (provisioning is null || provisioning.Name != nameof(ProvisionDockerVm))
        {
            return null;
        }

        var deprovisioning = await GetDeprovisioningAsync(client, provisioning, ct);
        return DockerVmStatusMapper.Map(provisioning, deprovisioning);
    }

    /// <summary>One page of provisioning instances, newest state of each (deprovisioning instances are folded in).</summary>
    public async Task<DockerVmStatusPage> ListAsync(
        DurableTaskClient client, string? continuationToken, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);

        var query = new OrchestrationQuery { PageSize = pageSize, FetchInputsAndOutputs = true, ContinuationToken = continuationToken };
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(continuationToken, pageSize).WithCancellation(ct))
        {
            var inPage = page.Values.ToDictionary(m => m.InstanceId, StringComparer.Ordinal);
            var items = new List<DockerVmStatus>();
            foreach (var metadata in page.Values.Where(m => m.Name == nameof(ProvisionDockerVm)))
            {
                var deprovisioning = inPage.TryGetValue(metadata.InstanceId + DeprovisionSuffix, out var d)
                    ? (d.CreatedAt >= metadata.CreatedAt ? d : null)
                    : await GetDeprovisioningAsync(client, metadata, ct);
                items.Add(DockerVmStatusMapper.Map(metadata, deprovisioning));
            }

            return new DockerVmStatusPage(items, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new DockerVmStatusPage([], null);
    }

    /// <summary>Schedules <see cref="DeprovisionDockerVm"/> for a finished provisioning instance.</summary>
    public async Task<DeprovisionOutcome> DeprovisionAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);

        var provisioning = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (provisioning is null || provisioning.Name != nameof(ProvisionDockerVm))
        {
            return new DeprovisionNotFound(instanceId);
        }

        if (!provisioning.IsCompleted)
        {
            return new DeprovisionConflict(instanceId, "The Docker host is still being provisioned; deprovision it once provisioning has finished.");
        }

        var deprovisionId = instanceId + DeprovisionSuffix;

        // An older deprovisioning (of an earlier run under the same id) does not count, but it still occupies the id.
        var existing = await client.GetInstanceAsync(deprovisionId, getInputsAndOutputs: true, ct);
        if (existing is not null && existing.CreatedAt >= provisioning.CreatedAt && !HasFailed(existing))
        {
            return new DeprovisionAccepted(instanceId, deprovisionId, Duplicate: true);
        }

        var input = CreateDeprovisionInput(provisioning);
        if (!await TryScheduleAsync(client, nameof(DeprovisionDockerVm), input, deprovisionId, existing, ct))
        {
            return new DeprovisionAccepted(instanceId, deprovisionId, Duplicate: true);
        }

        LogDeprovisionScheduled(logger, deprovisionId, input.ResourceIds.Count, input.SecretNames.Count);
        return new DeprovisionAccepted(instanceId, deprovisionId, Duplicate: false);
    }

    private DeprovisionDockerVmInput CreateDeprovisionInput(OrchestrationMetadata provisioning)
    {
        var spec = provisioning.ReadInputAs<DockerVmSpec>()
            ?? throw new InvalidOperationException($"Instance '{provisioning.InstanceId}' has no input.");
        var names = new DockerVmResourceNames(spec.ResourceGroup, spec.Name);
        var result = provisioning.RuntimeStatus == OrchestrationRuntimeStatus.Completed
            ? provisioning.ReadOutputAs<ProvisionDockerVmResult>()
            : null;

        // Without a result (the instance crashed or was terminated) nobody knows what exists: delete everything this
        // workflow would have created under its deterministic names; deleting what is missing is a no-op.
        var resourceIds = result?.CreatedResourceIds ?? names.AllResourceIds(azureOptions.Value.SubscriptionId);

        // After a failure, compensation may have stopped between resources and secrets: try every name (missing ones are skipped).
        var secretNames = result is { Succeeded: true, Secrets: { } secrets } ? secrets.Names : names.AllSecrets;
        return new DeprovisionDockerVmInput(provisioning.InstanceId, resourceIds, secretNames, spec.Callback)
        {
            Settings = WorkflowSettings.From(provisioningOptions.Value),
        };
    }

    /// <summary>
    /// Schedules <paramref name="instanceId"/> unless a concurrent request got there first (then false). The backend refuses
    /// to create over an instance in a dedupe status, which settles the race: a fresh id must not exist at all; a failed
    /// <paramref name="existing"/> instance may be replaced, but only once (its replacement is Pending at once).
    /// </summary>
    private static async Task<bool> TryScheduleAsync(
        DurableTaskClient client, string orchestrator, object input, string instanceId, OrchestrationMetadata? existing, CancellationToken ct)
    {
        var options = new StartOrchestrationOptions(instanceId).WithDedupeStatuses(
            existing is null ? [.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses] : ActiveStatuses);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, options, ct);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var raced = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, ct);
            if (raced is null || raced.CreatedAt <= (existing?.CreatedAt ?? DateTimeOffset.MinValue))
            {
                throw;
            }

            return false;
        }
    }

    /// <summary>True when the host of <paramref name="provisioning"/> was deprovisioned successfully: its id may be reused.</summary>
    private static async Task<bool> IsDeprovisionedAsync(DurableTaskClient client, OrchestrationMetadata provisioning, CancellationToken ct) =>
        await GetDeprovisioningAsync(client, provisioning, ct) is { RuntimeStatus: OrchestrationRuntimeStatus.Completed } deprovisioning
        && !HasFailed(deprovisioning);

    private static async Task<OrchestrationMetadata?> GetDeprovisioningAsync(
        DurableTaskClient client, OrchestrationMetadata provisioning, CancellationToken ct)
    {
        var metadata = await client.GetInstanceAsync(provisioning.InstanceId + DeprovisionSuffix, getInputsAndOutputs: true, ct);

        // A deprovisioning older than the provisioning belongs to an earlier life of the same id.
        return metadata is not null && metadata.CreatedAt >= provisioning.CreatedAt ? metadata : null;
    }

    /// <summary>True when the instance ended without success, so a new request may reuse its id.</summary>
    internal static bool HasFailed(OrchestrationMetadata metadata) => metadata.RuntimeStatus switch
    {
        OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => true,
        OrchestrationRuntimeStatus.Completed => metadata.Name == nameof(ProvisionDockerVm)
            ? metadata.ReadOutputAs<ProvisionDockerVmResult>() is not { Succeeded: true }
            : metadata.ReadOutputAs<DeprovisionDockerVmResult>() is not { Succeeded: true },
        _ => false,
    };

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Scheduled provisioning instance {InstanceId} for VM {ResourceGroup}/{VmName}")]
    private static partial void LogScheduled(ILogger logger, string instanceId, string resourceGroup, string vmName);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Request maps to existing instance {InstanceId}; nothing scheduled")]
    private static partial void LogDuplicate(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Request rejected with {ErrorCount} validation errors")]
    private static partial void LogRejected(ILogger logger, int errorCount);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Information, Message = "Scheduled deprovisioning instance {InstanceId} for {ResourceCount} resources and {SecretCount} secrets")]
    private static partial void LogDeprovisionScheduled(ILogger logger, string instanceId, int resourceCount, int secretCount);
}
