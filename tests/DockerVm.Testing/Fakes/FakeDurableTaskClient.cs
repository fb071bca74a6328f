using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;

namespace DockerVm.Testing;

/// <summary>
/// An in-memory <see cref="DurableTaskClient"/>: records every start, answers queries from what was started or seeded,
/// and can be told to fail like an unreachable task hub.
/// </summary>
public sealed class FakeDurableTaskClient() : DurableTaskClient("fake")
{
    private readonly ConcurrentDictionary<string, OrchestrationMetadata> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScheduledOrchestration> _scheduled = new();
    private int _failedCalls;
    private Exception? _scheduleFailure;

    public IReadOnlyList<ScheduledOrchestration> Scheduled => [.. _scheduled];

    /// <summary>When set, calls throw it (a storage outage): every call, or only the first <see cref="FailingCalls"/>.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>How many calls <see cref="FailWith"/> fails before the task hub recovers; <c>null</c>: every call.</summary>
    public int? FailingCalls { get; set; }

    /// <summary>When set, the next schedule call throws it (the task hub refused the start) and clears it.</summary>
    public Exception? FailNextScheduleWith
    {
        get => Volatile.Read(ref _scheduleFailure);
        set => Volatile.Write(ref _scheduleFailure, value);
    }

    public DateTimeOffset Now { get; set; } = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Adds an instance as if a host had run it.</summary>
    public OrchestrationMetadata Seed(
        string name, string instanceId, object? input, OrchestrationRuntimeStatus status, object? output = null, object? customStatus = null)
    {
        var metadata = new OrchestrationMetadata(name, instanceId)
        {
            RuntimeStatus = status,
            CreatedAt = Now,
            LastUpdatedAt = Now,
            SerializedInput = input is null ? null : JsonDataConverter.Default.Serialize(input),
            SerializedOutput = output is null ? null : JsonDataConverter.Default.Serialize(output),
            SerializedCustomStatus = customStatus is null ? null : JsonDataConverter.Default.Serialize(customStatus),
            DataConverter = JsonDataConverter.Default,
        };
        _instances[instanceId] = metadata;
        return metadata;
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ThrowIfFailing();
        if (Interlocked.Exchange(ref _scheduleFailure, null) is { } scheduleFailure)
        {
            throw scheduleFailure;
        }

        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        if (_instances.TryGetValue(instanceId, out var existing) && !existing.IsCompleted)
        {
            throw new InvalidOperationException($"An active instance with id '{instanceId}' already exists.");
        }

        _scheduled.Enqueue(new ScheduledOrchestration(orchestratorName.Name, instanceId, input));
        Seed(orchestratorName.Name, instanceId, input, OrchestrationRuntimeStatus.Pending);
        return Task.FromResult(instanceId);
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ThrowIfFailing();
        return Task.FromResult(_instances.TryGetValue(instanceId, out var metadata) ? metadata : null);
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        ThrowIfFailing();
        var all = _instances.Values.OrderBy(m => m.InstanceId, StringComparer.Ordinal).ToList();
        return Pageable.Create((string? token, int? pageSize, CancellationToken _) =>
        {
            var skip = token is null ? 0 : int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
            var size = pageSize ?? filter?.PageSize ?? 100;
            var values = all.Skip(skip).Take(size).ToList();
            var next = skip + size < all.Count ? (skip + size).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return Task.FromResult(new Page<OrchestrationMetadata>(values, next));
        });
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        throw new NotSupportedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void ThrowIfFailing()
    {
        if (FailWith is { } failure && (FailingCalls is not { } limit || Interlocked.Increment(ref _failedCalls) <= limit))
        {
            throw failure;
        }
    }
}
