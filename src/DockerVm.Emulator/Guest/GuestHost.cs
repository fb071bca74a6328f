using System.Collections.Concurrent;

namespace DockerVm.Emulator.Guest;

/// <summary>
/// Real-Docker mode (<see cref="Hosting.DockerMode.Real"/>): one guest sandbox per VM, booted when its first extension
/// runs, torn down when the VM is deleted and when the emulator stops. Handlers of one VM run one at a time, as the VM
/// agent runs extensions; each run first loads the VM's current NSG filter into the sandbox.
/// </summary>
internal sealed class GuestHost(string? workDirectory, ILogger logger) : IAsyncDisposable
{
    /// <summary>CustomScript's own limit for a script (90 minutes, its documentation's troubleshooting page).</summary>
    public static readonly TimeSpan HandlerTimeout = TimeSpan.FromMinutes(90);

    private readonly ConcurrentDictionary<string, Guest> _guests = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Task> _teardowns = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Sandboxes booted or booting.</summary>
    public int Count => _guests.Count;

    /// <summary>
    /// Runs a handler's command (<paramref name="script"/> written to <c>script.sh</c> when given, else
    /// <paramref name="command"/>) in the VM's sandbox, in <paramref name="directory"/>, or in CustomScript's
    /// <c>download/{n}</c> directory (n counts the VM's CustomScript runs, as its sequence number does) when null.
    /// </summary>
    public async Task<GuestCommandResult> RunHandlerAsync(GuestVm vm, string handler, string? script, string? command, string? directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vm);
        Guest guest;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            guest = _guests.GetOrAdd(vm.Id, _ => new Guest(BootAsync(vm)));
        }

        GuestSandbox sandbox;
        try
        {
            sandbox = await guest.Boot;
        }
        catch
        {
            // The next extension on this VM boots afresh.
            _guests.TryRemove(new KeyValuePair<string, Guest>(vm.Id, guest));
            throw;
        }

        await guest.Turn.WaitAsync(cancellationToken);
        try
        {
            await sandbox.ApplyPacketFilterAsync(vm.PacketFilter, cancellationToken);
            var folder = directory ?? $"/var/lib/waagent/custom-script/download/{guest.CustomScriptRuns++}";
            var run = script is not null
                ? await sandbox.RunHandlerScriptAsync(handler, script, folder, HandlerTimeout, cancellationToken)
                : await sandbox.RunHandlerCommandAsync(handler, command ?? "true", folder, HandlerTimeout, cancellationToken);
            if (!run.Succeeded)
            {
                // What the status message cannot say (systemctl only points at the journal), for the emulator's log.
                var journal = await sandbox.JournalAsync("docker.service", cancellationToken) ?? "(none)";
                GuestLog.HandlerFailed(logger, sandbox.Name, handler, run.ExitCode, string.Join('\n', journal.TrimEnd().Split('\n').TakeLast(15)));
            }

            return run;
        }
        finally
        {
            guest.Turn.Release();
        }
    }

    /// <summary>Loads a VM's changed NSG filter into its sandbox (an NSG or NIC update), if it has one; does not wait.</summary>
    public void RefreshFilter(string vmId, string packetFilter)
    {
        if (!_guests.TryGetValue(vmId, out var guest))
        {
            return;
        }

        Track(Task.Run(async () =>
        {
            var sandbox = await guest.Boot;
            await guest.Turn.WaitAsync();
            try
            {
                if (sandbox.IsRunning)
                {
                    await sandbox.ApplyPacketFilterAsync(packetFilter);
                }
            }
            finally
            {
                guest.Turn.Release();
            }
        }), "packet filter", vmId);
    }

    /// <summary>The VMs whose sandboxes are booted or booting.</summary>
    public IReadOnlyCollection<string> VmIds => [.. _guests.Keys];

    /// <summary>Tears down the VM's sandbox (the VM was deleted); does not wait.</summary>
    public void Shutdown(string vmId)
    {
        if (_guests.TryRemove(vmId, out var guest))
        {
            Track(Task.Run(async () =>
            {
                await guest.Turn.WaitAsync();
                await (await guest.Boot).DisposeAsync();
            }), "teardown", vmId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        foreach (var vmId in _guests.Keys.ToList())
        {
            Shutdown(vmId);
        }

        Task[] pending;
        lock (_gate)
        {
            pending = [.. _teardowns];
        }

        await Task.WhenAll(pending);
    }

    private Task<GuestSandbox> BootAsync(GuestVm vm) => GuestSandbox.StartAsync(
        new GuestSandboxOptions(vm.HostName, vm.Address) { AdminUsername = vm.AdminUsername, DockerdInUsrBin = vm.DockerdInUsrBin, WorkDirectory = workDirectory },
        logger);

    /// <summary>Background work the emulator's shutdown waits for; a failure is logged, never thrown.</summary>
    private void Track(Task work, string what, string vmId)
    {
        var logged = work.ContinueWith(
            t =>
            {
                if (t.Exception is { } failure)
                {
                    GuestLog.RealDockerFailed(logger, what, vmId, failure.GetBaseException().Message);
                }
            },
            TaskScheduler.Default);
        lock (_gate)
        {
            _teardowns.RemoveAll(t => t.IsCompleted);
            _teardowns.Add(logged);
        }
    }

    private sealed class Guest(Task<GuestSandbox> boot)
    {
        public Task<GuestSandbox> Boot { get; } = boot;

        public SemaphoreSlim Turn { get; } = new(1, 1);

        public int CustomScriptRuns { get; set; }
    }
}
