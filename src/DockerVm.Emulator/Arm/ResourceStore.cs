using System.Security.Cryptography;

namespace DockerVm.Emulator.Arm;

/// <summary>
/// All ARM state. One lock guards it: operations are tiny and in memory, so a single gate is simpler than
/// fine-grained locking and still serves thousands of requests per second. Callers hold <see cref="Gate"/>.
/// </summary>
internal sealed class ResourceStore(TimeProvider time)
{
    private readonly Dictionary<string, ArmResource> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ArmResource> _resources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, AsyncOperation> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<AsyncOperation> _pending = [];
    private long _version;

    public Lock Gate { get; } = new();

    public TimeProvider Time => time;

    public IEnumerable<ArmResource> Groups => _groups.Values;

    public IEnumerable<ArmResource> Resources => _resources.Values;

    public IEnumerable<AsyncOperation> Operations => _operations.Values;

    public int PendingOperationCount => _pending.Count;

    /// <summary>Grows with every change (a write request, an operation completing); the state file is saved when it moved.</summary>
    public long Version => Interlocked.Read(ref _version);

    public void Touch() => Interlocked.Increment(ref _version);

    public ArmResource? FindGroup(string name) => _groups.GetValueOrDefault(name);

    public void PutGroup(ArmResource group) => _groups[group.Name] = group;

    public void RemoveGroup(string name) => _groups.Remove(name);

    public ArmResource? Find(string id) => _resources.GetValueOrDefault(id);

    public void Put(ArmResource resource) => _resources[resource.Id] = resource;

    public bool Remove(string id) => _resources.Remove(id);

    public IEnumerable<ArmResource> InGroup(string resourceGroup) =>
        _resources.Values.Where(r => string.Equals(r.ResourceGroup, resourceGroup, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ArmResource> ChildrenOf(string parentId) =>
        _resources.Values.Where(r => string.Equals(r.ParentId, parentId, StringComparison.OrdinalIgnoreCase));

    public AsyncOperation? FindOperation(string id) => _operations.GetValueOrDefault(id);

    public static string NewOperationId() => Guid.NewGuid().ToString();

    public static string NewEtag() => $"W/\"{Guid.NewGuid()}\"";

    public static string NewHexId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public AsyncOperation Track(AsyncOperation operation)
    {
        _operations[operation.Id] = operation;
        _pending.Add(operation);
        return operation;
    }

    /// <summary>Keeps a finished operation from the state file, so its status document still answers.</summary>
    public void RestoreFinished(AsyncOperation operation) => _operations[operation.Id] = operation;

    /// <summary>Completes every operation that is due. Returns how many completed.</summary>
    public int Advance()
    {
        if (_pending.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var completed = 0;
        for (var i = 0; i < _pending.Count; i++)
        {
            var operation = _pending[i];
            if (operation.Status != OperationStatus.InProgress)
            {
                _pending.RemoveAt(i--);
                continue;
            }

            if (operation.Due > now || operation.Prerequisite is { IsCompleted: false })
            {
                continue;
            }

            _pending.RemoveAt(i--);
            Finish(operation, now);
            completed++;
        }

        if (completed > 0)
        {
            Touch();
        }

        return completed;
    }

    /// <summary>Cancels an in-progress operation (a DELETE overtaking a PUT).</summary>
    public void Cancel(string? operationId)
    {
        if (operationId is not null && _operations.TryGetValue(operationId, out var operation)
            && operation.Status == OperationStatus.InProgress)
        {
            operation.Status = OperationStatus.Canceled;
            operation.Error = new AzureError("OperationPreempted", "Operation execution has been preempted by a more recent operation.");
            operation.End = time.GetUtcNow();
        }
    }

    public void Clear()
    {
        Touch();
        _groups.Clear();
        _resources.Clear();
        _operations.Clear();
        _pending.Clear();
    }

    private static void Finish(AsyncOperation operation, DateTimeOffset now)
    {
        AzureError? error;
        try
        {
            error = operation.Complete(operation.ForcedFailure);
        }
        catch (AzureErrorException ex)
        {
            error = ex.Error;
        }
#pragma warning disable CA1031 // An operation must always end; an emulator bug becomes a failed operation, not a hung poller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = new AzureError("InternalOperationError", $"The emulator failed to complete the operation: {ex.GetType().Name}: {ex.Message}");
        }

        operation.Error = error;
        operation.Status = error is null ? OperationStatus.Succeeded : OperationStatus.Failed;
        operation.End = now;
    }
}
