using System.Globalization;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Docker;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.KeyVault;
using DockerVm.Emulator.Network;

namespace DockerVm.Emulator.Hosting;

/// <summary>Run-time knobs of a running emulator: faults, latencies, throttling, durations, state dump and reset.</summary>
public sealed class EmulatorControl
{
    private readonly EmulatorOptions _options;
    private readonly ResourceStore _store;
    private readonly FaultInjector _faults;
    private readonly Throttler _throttler;
    private readonly RequestJournal _journal;
    private readonly DockerDaemonHost _docker;
    private readonly PublicIpPool _ipPool;
    private readonly SecretStore _secrets;
    private readonly ILogger _logger;

    internal EmulatorControl(
        EmulatorOptions options, ResourceStore store, FaultInjector faults, Throttler throttler, RequestJournal journal,
        DockerDaemonHost docker, PublicIpPool ipPool, SecretStore secrets, ILogger logger)
    {
        _options = options;
        _store = store;
        _faults = faults;
        _throttler = throttler;
        _journal = journal;
        _docker = docker;
        _ipPool = ipPool;
        _secrets = secrets;
        _logger = logger;
    }

    /// <summary>Simulated operation durations; changes apply to operations started afterwards.</summary>
    public LroDurations Durations => _options.Durations;

    /// <summary>How long NICs stay reserved after their VM is deleted; applies to VMs deleted afterwards.</summary>
    public TimeSpan NicReservation
    {
        get => _options.NicReservation;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _options.NicReservation = value;
        }
    }

    /// <summary>Latency added to every request.</summary>
    public TimeSpan BaseLatency
    {
        get => _options.BaseLatency;
        set => _options.BaseLatency = value;
    }

    public IReadOnlyList<FaultRule> Faults => _faults.ActiveFaults;

    public IReadOnlyList<LatencyRule> Latencies => _faults.Latencies;

    public ThrottlingOptions? Throttling => _throttler.Options;

    public IReadOnlyList<RequestLogEntry> RequestLog => _journal.Entries;

    /// <summary>Requests served per operation ("PUT Microsoft.Compute/virtualMachines", "GET keyvault/secrets", ...).</summary>
    public IReadOnlyDictionary<string, long> OperationCounters => _journal.Counters;

    public IReadOnlyList<DockerDaemonInfo> DockerDaemons => _docker.Daemons;

    public int RunningDockerDaemons => _docker.Count;

    /// <summary>Fails the next <see cref="FaultRule.Count"/> matching requests.</summary>
    public void InjectFault(FaultRule rule) => _faults.Add(rule);

    public void AddLatency(LatencyRule rule) => _faults.AddLatency(rule);

    /// <summary>Removes fault and latency rules.</summary>
    public void ClearFaults() => _faults.Clear();

    /// <summary>Turns ARM-like throttling on (token buckets per subscription) or off (null).</summary>
    public void ConfigureThrottling(ThrottlingOptions? throttling) => _throttler.Configure(throttling);

    public void ClearRequestLog() => _journal.Clear();

    /// <summary>Forgets every resource, operation, secret, daemon, fault, latency and throttling setting.</summary>
    public void Reset()
    {
        lock (_store.Gate)
        {
            _docker.StopAll();
            _store.Clear();
            _ipPool.Reset();
        }

        _secrets.Clear();
        _faults.Clear();
        _throttler.Configure(null);
        _journal.Clear();

        // After the vault is empty too: the state file is saved from the next change on, and this is it.
        _store.Touch();
        Log.StateReset(_logger);
    }

    /// <summary>Everything the emulator holds, as JSON (secret values and protected settings excluded).</summary>
    public JsonObject DumpState()
    {
        var groups = new JsonArray();
        var resources = new JsonArray();
        var operations = new JsonArray();
        lock (_store.Gate)
        {
            _store.Advance();
            foreach (var group in _store.Groups.OrderBy(g => g.Created))
            {
                groups.Add(group.Body.DeepClone());
            }

            foreach (var resource in _store.Resources.OrderBy(r => r.Created))
            {
                resources.Add(resource.Body.DeepClone());
            }

            foreach (var operation in _store.Operations.Where(o => o.Status == OperationStatus.InProgress))
            {
                operations.Add(new JsonObject
                {
                    ["id"] = operation.Id,
                    ["resourceId"] = operation.ResourceId,
                    ["due"] = operation.Due.ToString("o", CultureInfo.InvariantCulture),
                });
            }
        }

        var secrets = new JsonArray();
        var deletedSecrets = new JsonArray();
        lock (_secrets.Gate)
        {
            foreach (var entry in _secrets.Live.Values)
            {
                secrets.Add(new JsonObject { ["name"] = entry.Name, ["versions"] = entry.Versions.Count });
            }

            foreach (var deleted in _secrets.Deleted.Values)
            {
                deletedSecrets.Add(deleted.Entry.Name);
            }
        }

        var daemons = new JsonArray();
        foreach (var daemon in _docker.Daemons)
        {
            daemons.Add(new JsonObject { ["ownerId"] = daemon.OwnerId, ["endpoint"] = daemon.Endpoint, ["hostName"] = daemon.HostName, ["requests"] = daemon.Requests });
        }

        return new JsonObject
        {
            ["subscriptionId"] = _options.SubscriptionId,
            ["resourceGroups"] = groups,
            ["resources"] = resources,
            ["operationsInProgress"] = operations,
            ["secrets"] = secrets,
            ["deletedSecrets"] = deletedSecrets,
            ["dockerDaemons"] = daemons,
        };
    }
}
