using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Storage;
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
    IRecordStore records,
    TimeProvider time,
    IOptions<AzureOptions> azureOptions,
    IOptions<ProvisioningOptions> provisioningOptions,
    ILogger<DockerVmService> logger)
{
    /// <summary>Suffix of the deprovisioning instance id: <c>{instanceId}-deprovision</c>.</summary>
    public const string DeprovisionSuffix = "-deprovision";

    /// <summary>
    /// How long a claim whose run is not visible yet counts as live: the claimant schedules the run right after
    /// claiming; a claim this old belongs to a claimant that died in between, and the target is free again.
    /// </summary>
    internal static readonly TimeSpan ClaimGrace = TimeSpan.FromMinutes(1);

    /// <summary>Conditional writes lost to concurrent requests before giving up; each loss means someone else won, so
    /// the next read normally settles the answer.</summary>
    private const int MaxRaces = 8;

    private static readonly OrchestrationRuntimeStatus[] ActiveStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>
    /// Validates the request and schedules <see cref="ProvisionDockerVm"/> for its target (resource group + name), which
    /// owns exactly one live workflow. A target already owned by a live or succeeded run answers a duplicate when the
    /// request is the same (same body, and the same idempotency key or none) and a conflict otherwise; a key first used
    /// for a different request is refused. A target whose run failed or whose host was deprovisioned takes a new run.
    /// The idempotency key header wins over the body's key.
    /// </summary>
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
        var fingerprint = RequestFingerprint.Of(spec);
        var keyHash = spec.IdempotencyKey is { } key ? RequestFingerprint.OfKey(key) : null;
        for (var race = 0; race < MaxRaces; race++)
        {
            if (keyHash is not null
                && await records.GetAsync<KeyBinding>(RecordTables.IdempotencyKeys, keyHash, ct) is { } binding
                && (binding.Value.InstanceId != instanceId || binding.Value.Fingerprint != fingerprint))
            {
                LogKeyReused(logger, binding.Value.InstanceId);
                return KeyReused(binding.Value.InstanceId);
            }

            var target = await ReadTargetAsync(client, instanceId, ct);
            var sameRequest = target.Fingerprint == fingerprint && (keyHash is null || target.KeyHash == keyHash);
            switch (target.State)
            {
                case TargetState.Owned when sameRequest:
                case TargetState.Deprovisioned when sameRequest && keyHash is not null:
                    // A repeat of the request that started the run (for a deprovisioned host: only under its own key,
                    // so a late retry of that request cannot bring back a host someone deleted).
                    LogDuplicate(logger, instanceId);
                    return new SubmitAccepted(instanceId, Duplicate: true);
                case TargetState.Owned:
                    LogConflict(logger, instanceId);
                    return Conflict(instanceId, $"The Docker host '{spec.Name}' in resource group '{spec.ResourceGroup}' belongs to instance '{instanceId}', started by a different request (another body or idempotency key). Send that request unchanged, or deprovision the host first.");
                case TargetState.Deprovisioning:
                    LogConflict(logger, instanceId);
                    return Conflict(instanceId, $"The Docker host '{spec.Name}' in resource group '{spec.ResourceGroup}' is being deprovisioned by instance '{instanceId}'; request it again once that has finished.");
            }

            var claim = new HostClaim { RunId = Guid.NewGuid().ToString("N"), Fingerprint = fingerprint, KeyHash = keyHash, ClaimedAt = time.GetUtcNow() };
            var claimed = target.ClaimETag is null
                ? await records.TryCreateAsync(RecordTables.Hosts, instanceId, claim, ct)
                : await records.TryReplaceAsync(RecordTables.Hosts, instanceId, claim, target.ClaimETag, ct);
            if (claimed is null)
            {
                continue; // Another request claimed the target first: read again and answer as its duplicate or conflict.
            }

            var boundKey = await TryBindKeyAsync(keyHash, instanceId, fingerprint, ct);
            if (!boundKey.Bound)
            {
                // A concurrent request bound the key to something else: give the target back; the next read refuses the key.
                await records.TryDeleteAsync(RecordTables.Hosts, instanceId, claimed.ETag, CancellationToken.None);
                continue;
            }

            // The workflow's timing travels in the input: deterministic on replay, and no settings round trip per run.
            var input = spec with { Settings = WorkflowSettings.From(provisioningOptions.Value), RunId = claim.RunId };
            try
            {
                // Only a finished instance may be replaced: the claim says none is live, the backend double-checks.
                await client.ScheduleNewOrchestrationInstanceAsync(
                    nameof(ProvisionDockerVm), input, new StartOrchestrationOptions(instanceId).WithDedupeStatuses(ActiveStatuses), ct);
            }
            catch
            {
                // Nothing was scheduled: leave nothing half-done, so a retry of this request starts afresh.
                await records.TryDeleteAsync(RecordTables.Hosts, instanceId, claimed.ETag, CancellationToken.None);
                if (boundKey.CreatedETag is { } keyETag)
                {
                    await records.TryDeleteAsync(RecordTables.IdempotencyKeys, keyHash!, keyETag, CancellationToken.None);
                }

                throw;
            }

            LogScheduled(logger, instanceId, spec.ResourceGroup, spec.Name);
            return new SubmitAccepted(instanceId, Duplicate: false);
        }

        throw new InvalidOperationException($"The host record of '{instanceId}' kept changing under {MaxRaces} attempts; retry the request.");
    }

    /// <summary>The status of a provisioning instance (including its deprovisioning, if requested); null if unknown.</summary>
    public async Task<DockerVmStatus?> GetAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(instanceId);

        var provisioning = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (provisioning is not { Name: nameof(ProvisionDockerVm) } || provisioning.IsCompleted)
        {
            // A run accepted a moment ago may not be visible yet (or may be about to replace a finished one): a
            // caller following the Location of a duplicate answer must not see 404 or the old run's end.
            var claim = await records.GetAsync<HostClaim>(RecordTables.Hosts, instanceId, ct);
            if (claim is { Value: var owner } && time.GetUtcNow() - owner.ClaimedAt < ClaimGrace
                && owner.RunId != (provisioning?.ReadInputAs<DockerVmSpec>()?.RunId ?? string.Empty))
            {
                return new DockerVmStatus { InstanceId = instanceId, State = DockerVmState.Pending, CreatedAt = owner.ClaimedAt, LastUpdatedAt = owner.ClaimedAt };
            }
        }

        if (provisioning is not { Name: nameof(ProvisionDockerVm) })
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

    /// <summary>
    /// Schedules <see cref="DeprovisionDockerVm"/> for a finished provisioning instance, once per run: concurrent
    /// deletions race for the host record, and only the winner schedules; the others (and later repeats) get the
    /// duplicate answer. A failed deprovisioning may be requested again.
    /// </summary>
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

        var spec = provisioning.ReadInputAs<DockerVmSpec>()
            ?? throw new InvalidOperationException($"Instance '{provisioning.InstanceId}' has no input.");
        var runId = spec.RunId ?? string.Empty;
        var deprovisionId = instanceId + DeprovisionSuffix;
        for (var race = 0; race < MaxRaces; race++)
        {
            var claim = await records.GetAsync<HostClaim>(RecordTables.Hosts, instanceId, ct);
            if (claim is not null && claim.Value.RunId != runId)
            {
                return new DeprovisionConflict(instanceId, "A new provisioning run for this Docker host is being scheduled; deprovision it once that run has finished.");
            }

            var existing = await GetDeprovisioningAsync(client, provisioning, ct);
            var requestedAt = claim?.Value.DeprovisionedRunId == runId ? claim.Value.DeprovisionRequestedAt : null;
            var inFlight = existing is null && time.GetUtcNow() - requestedAt < ClaimGrace;
            if (inFlight || (existing is not null && !HasFailed(existing)))
            {
                return new DeprovisionAccepted(instanceId, deprovisionId, Duplicate: true);
            }

            var marked = (claim?.Value ?? ClaimOf(provisioning, spec)) with { DeprovisionedRunId = runId, DeprovisionRequestedAt = time.GetUtcNow() };
            var written = claim is null
                ? await records.TryCreateAsync(RecordTables.Hosts, instanceId, marked, ct)
                : await records.TryReplaceAsync(RecordTables.Hosts, instanceId, marked, claim.ETag, ct);
            if (written is null)
            {
                continue; // A concurrent deletion marked it first: the next read answers as its duplicate.
            }

            var input = CreateDeprovisionInput(provisioning, spec);
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    nameof(DeprovisionDockerVm), input, new StartOrchestrationOptions(deprovisionId).WithDedupeStatuses(ActiveStatuses), ct);
            }
            catch
            {
                // Nothing was scheduled: take the mark back so that a retry is not answered as a duplicate.
                var unmarked = marked with { DeprovisionedRunId = claim?.Value.DeprovisionedRunId, DeprovisionRequestedAt = claim?.Value.DeprovisionRequestedAt };
                await records.TryReplaceAsync(RecordTables.Hosts, instanceId, unmarked, written.ETag, CancellationToken.None);
                throw;
            }

            LogDeprovisionScheduled(logger, deprovisionId, input.ResourceIds.Count, input.SecretNames.Count);
            return new DeprovisionAccepted(instanceId, deprovisionId, Duplicate: false);
        }

        throw new InvalidOperationException($"The host record of '{instanceId}' kept changing under {MaxRaces} attempts; retry the request.");
    }

    private DeprovisionDockerVmInput CreateDeprovisionInput(OrchestrationMetadata provisioning, DockerVmSpec spec)
    {
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

    /// <summary>Who owns the target now, read from its host record and the instance the record names.</summary>
    private async Task<Target> ReadTargetAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        var claim = await records.GetAsync<HostClaim>(RecordTables.Hosts, instanceId, ct);
        var provisioning = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        var spec = provisioning?.Name == nameof(ProvisionDockerVm) ? provisioning.ReadInputAs<DockerVmSpec>() : null;
        if (claim is not null && (spec?.RunId ?? string.Empty) != claim.Value.RunId)
        {
            // The claimed run is not visible yet: its claimant is scheduling it, or died before it could.
            return time.GetUtcNow() - claim.Value.ClaimedAt < ClaimGrace
                ? new Target(TargetState.Owned, claim.Value.Fingerprint, claim.Value.KeyHash, claim.ETag)
                : new Target(TargetState.Free, null, null, claim.ETag);
        }

        if (provisioning is null || spec is null)
        {
            return new Target(TargetState.Free, null, null, claim?.ETag);
        }

        // An instance without a record (started before host records existed) is described by its own input.
        var owner = claim?.Value ?? ClaimOf(provisioning, spec);
        var deprovisioning = await GetDeprovisioningAsync(client, provisioning, ct);
        var state = deprovisioning switch
        {
            { IsCompleted: false } => TargetState.Deprovisioning,
            _ when HasFailed(provisioning) => TargetState.Free,
            null => TargetState.Owned,

            // A failed teardown leaves the host in an unknown state: it stays owned until a deletion succeeds.
            _ when HasFailed(deprovisioning) => TargetState.Owned,
            _ => TargetState.Deprovisioned,
        };
        return new Target(state, owner.Fingerprint, owner.KeyHash, claim?.ETag);
    }

    /// <summary>Binds the key to this request unless it names another one; a concurrent binding of the same request is fine.</summary>
    private async Task<KeyBindResult> TryBindKeyAsync(string? keyHash, string instanceId, string fingerprint, CancellationToken ct)
    {
        if (keyHash is null)
        {
            return new KeyBindResult(Bound: true, CreatedETag: null);
        }

        var binding = new KeyBinding { InstanceId = instanceId, Fingerprint = fingerprint, BoundAt = time.GetUtcNow() };
        if (await records.TryCreateAsync(RecordTables.IdempotencyKeys, keyHash, binding, ct) is { } created)
        {
            return new KeyBindResult(Bound: true, created.ETag);
        }

        var existing = await records.GetAsync<KeyBinding>(RecordTables.IdempotencyKeys, keyHash, ct);
        return new KeyBindResult(existing?.Value.InstanceId == instanceId && existing.Value.Fingerprint == fingerprint, CreatedETag: null);
    }

    private static HostClaim ClaimOf(OrchestrationMetadata provisioning, DockerVmSpec spec) => new()
    {
        RunId = spec.RunId ?? string.Empty,
        Fingerprint = RequestFingerprint.Of(spec),
        KeyHash = spec.IdempotencyKey is { } key ? RequestFingerprint.OfKey(key) : null,
        ClaimedAt = provisioning.CreatedAt,
    };

    private static SubmitRejected Conflict(string instanceId, string message) =>
        new(SubmitRejected.Conflict, [new ValidationError("name", SubmitRejected.Conflict, message)]) { ExistingInstanceId = instanceId };

    private static SubmitRejected KeyReused(string instanceId) => new(
        SubmitRejected.IdempotencyKeyReused,
        [new ValidationError("idempotencyKey", SubmitRejected.IdempotencyKeyReused, $"The idempotency key was first used for a different request (instance '{instanceId}'); send that request unchanged, or use a new key.")])
    {
        ExistingInstanceId = instanceId,
    };

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

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Request conflicts with instance {InstanceId}, which owns its Docker host; nothing scheduled")]
    private static partial void LogConflict(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Information, Message = "Request reuses an idempotency key of instance {InstanceId} with a different body; nothing scheduled")]
    private static partial void LogKeyReused(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Information, Message = "Scheduled deprovisioning instance {InstanceId} for {ResourceCount} resources and {SecretCount} secrets")]
    private static partial void LogDeprovisionScheduled(ILogger logger, string instanceId, int resourceCount, int secretCount);

    private enum TargetState
    {
        /// <summary>No run, a failed run, or a claim whose claimant died: a request takes it.</summary>
        Free,

        /// <summary>A live or succeeded run (or one being scheduled).</summary>
        Owned,

        Deprovisioning,

        /// <summary>The run's host was deprovisioned: a new request takes it, a repeat of that run's request does not.</summary>
        Deprovisioned,
    }

    private sealed record Target(TargetState State, string? Fingerprint, string? KeyHash, string? ClaimETag);

    private readonly record struct KeyBindResult(bool Bound, string? CreatedETag);
}
