using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Faults;

/// <summary>Holds armed fault and latency rules; each fault fires for the next N matching requests.</summary>
internal sealed class FaultInjector
{
    private readonly Lock _gate = new();
    private readonly List<ArmedFault> _faults = [];
    private readonly List<(LatencyRule Rule, PathPattern Pattern)> _latencies = [];

    public IReadOnlyList<FaultRule> ActiveFaults
    {
        get
        {
            lock (_gate)
            {
                return [.. _faults.Select(f => f.Rule with { Count = f.Remaining })];
            }
        }
    }

    public IReadOnlyList<LatencyRule> Latencies
    {
        get
        {
            lock (_gate)
            {
                return [.. _latencies.Select(l => l.Rule)];
            }
        }
    }

    public void Add(FaultRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Count, 1);
        lock (_gate)
        {
            _faults.Add(new ArmedFault(rule, new PathPattern(rule.PathPattern)) { Remaining = rule.Count });
        }
    }

    public void AddLatency(LatencyRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Delay, TimeSpan.Zero);
        lock (_gate)
        {
            _latencies.Add((rule, new PathPattern(rule.PathPattern)));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
            _latencies.Clear();
        }
    }

    public TimeSpan LatencyFor(string method, string path)
    {
        lock (_gate)
        {
            var total = TimeSpan.Zero;
            foreach (var (rule, pattern) in _latencies)
            {
                if (pattern.Matches(method, rule.Method ?? string.Empty, path))
                {
                    total += rule.Delay;
                }
            }

            return total;
        }
    }

    /// <summary>Takes one shot of a fault that answers immediately (everything but OperationFailed and guest faults).</summary>
    public FaultRule? TakeImmediate(string method, string path) =>
        Take(method, path, kind => kind is not (FaultKind.OperationFailed or FaultKind.DpkgLockHeld));

    /// <summary>Takes one shot of an OperationFailed fault; the operation it creates will end Failed.</summary>
    public AzureError? TakeLroFailure(string method, string path)
    {
        var rule = Take(method, path, kind => kind == FaultKind.OperationFailed);
        return rule is null ? null : new AzureError(rule.ErrorCode ?? "InternalOperationError", rule.ErrorMessage ?? DefaultMessage(rule.ErrorCode));
    }

    /// <summary>Takes one shot of a fault of the VM's guest (<paramref name="kind"/>, e.g. DpkgLockHeld) for the
    /// request that starts the guest's work (an extension PUT).</summary>
    public bool TakeGuestFault(string method, string path, FaultKind kind) => Take(method, path, k => k == kind) is not null;

    public static string DefaultMessage(string? code) => code switch
    {
        "AllocationFailed" => "Allocation failed. We do not have sufficient capacity for the requested VM size in this region. Read more about improving likelihood of allocation success at http://aka.ms/allocation-guidance",
        "SkuNotAvailable" => "The requested VM size for resource 'Following SKUs have failed for Capacity Restrictions' is currently not available in location. Please try another size or deploy to a different location or different zone.",
        "OperationNotAllowed" => "Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota. Current Limit: 10, Current Usage: 10, Additional Required: 2.",
        "VMExtensionProvisioningError" => "VM has reported a failure when processing extension. Error message: \"Enable failed: injected failure\".",
        "QuotaExceeded" => "Operation results in exceeding quota limits of Core. Maximum allowed: 10, Current in use: 10, Additional requested: 2.",
        _ => "An internal execution error occurred. Please retry later.",
    };

    private FaultRule? Take(string method, string path, Func<FaultKind, bool> kinds)
    {
        lock (_gate)
        {
            for (var i = 0; i < _faults.Count; i++)
            {
                var armed = _faults[i];
                if (!kinds(armed.Rule.Kind)
                    || !armed.Pattern.Matches(method, armed.Rule.Method ?? string.Empty, path))
                {
                    continue;
                }

                if (--armed.Remaining <= 0)
                {
                    _faults.RemoveAt(i);
                }

                return armed.Rule;
            }

            return null;
        }
    }

    private sealed class ArmedFault(FaultRule rule, PathPattern pattern)
    {
        public FaultRule Rule { get; } = rule;

        public PathPattern Pattern { get; } = pattern;

        public int Remaining { get; set; }
    }
}
