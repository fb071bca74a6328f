using System.Collections.Concurrent;

namespace DockerVm.Emulator.Faults;

/// <summary>Bounded request log plus per-operation counters (for benchmarks and assertions).</summary>
internal sealed class RequestJournal(int capacity)
{
    private readonly Lock _gate = new();
    private readonly Queue<RequestLogEntry> _entries = new();
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);

    public void Record(RequestLogEntry entry)
    {
        _counters.AddOrUpdate(entry.Operation, 1, (_, count) => count + 1);
        lock (_gate)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > capacity)
            {
                _entries.Dequeue();
            }
        }
    }

    public IReadOnlyList<RequestLogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyDictionary<string, long> Counters =>
        new SortedDictionary<string, long>(_counters.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);

    public void Clear()
    {
        _counters.Clear();
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    /// <summary>Names an operation by method and resource type, not by instance: "PUT Microsoft.Compute/virtualMachines".</summary>
    public static string OperationName(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return $"{method} /";
        }

        if (segments[0].Equals("_emulator", StringComparison.OrdinalIgnoreCase))
        {
            return $"{method} control";
        }

        if (segments[0].Equals("msi", StringComparison.OrdinalIgnoreCase))
        {
            return $"{method} identity/token";
        }

        if (segments[0].Equals("secrets", StringComparison.OrdinalIgnoreCase) || segments[0].Equals("deletedsecrets", StringComparison.OrdinalIgnoreCase))
        {
            return $"{method} keyvault/{segments[0].ToLowerInvariant()}{(segments.Length > 2 ? "/version" : string.Empty)}";
        }

        var providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers >= 0 && providers + 1 < segments.Length)
        {
            var parts = new List<string> { segments[providers + 1] };
            for (var i = providers + 2; i < segments.Length; i += 2)
            {
                parts.Add(segments[i]);
            }

            return $"{method} {string.Join('/', parts)}";
        }

        if (segments.Length >= 3 && segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            return $"{method} resourceGroups{(segments.Length > 4 ? "/" + segments[4] : string.Empty)}";
        }

        return $"{method} {(segments.Length >= 3 ? "subscriptions/" + segments[2] : segments[0])}";
    }
}
