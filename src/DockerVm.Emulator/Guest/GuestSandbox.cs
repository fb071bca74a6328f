using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Guest;

/// <summary>
/// A Linux guest on this machine, close enough to a fresh VM for the Docker installers to run unmodified: its own network
/// namespace (one veth pair, addresses per <see cref="GuestAddresses"/>), its own mount, UTS, IPC and PID namespaces,
/// overlays over /etc, /usr, /var, /home, /root, /opt and /srv (the host's files below, the guest's writes in this
/// sandbox's directory), fresh /run and /tmp, and a small init as PID 1 that stands in for systemd
/// (Resources/guest-init.py, reached through <c>/usr/bin/systemctl</c>). dockerd runs in it as the installers configure it.
/// </summary>
/// <remarks>
/// Measured here (/work/shared/DESIGN.md, "Facts about a real Docker daemon"): dockerd needs the host's cgroup mounts,
/// so the network namespace is entered with nsenter (<c>ip netns exec</c> remounts /sys and hides them); userns-remap
/// adds <c>dockremap</c> to /etc/passwd, /etc/subuid and /etc/subgid, and dockerd writes /etc/docker/key.json, which is
/// why /etc is the guest's own. Teardown stops dockerd through the init, kills what is left of the PID namespace with its
/// init, sweeps any process still in the sandbox's namespaces by PID, deletes the network namespace (with it the veth
/// pair and the host's one route) and the directory; the mounts die with the mount namespace.
/// </remarks>
internal sealed partial class GuestSandbox : IAsyncDisposable
{
    /// <summary>The PATH the CustomScript handler's processes get (systemd's default for services, plus /sbin:/bin).</summary>
    public const string HandlerPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const string Nsenter = "/usr/bin/nsenter";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ILogger _logger;
    private readonly GuestSandboxOptions _options;
    private readonly StringBuilder _bootOutput = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _boot;
    private bool _networkCreated;
    private int _initPid;
    private string? _netNamespace;
    private string? _mountNamespace;
    private int _disposed;

    private GuestSandbox(GuestSandboxOptions options, string id, string directory, ILogger logger)
    {
        _options = options;
        _logger = logger;
        Name = "dockervm-" + id;
        HostVeth = "dvm" + id;
        Directory = directory;
        Address = options.Address;
        HostAddress = GuestAddresses.HostEnd(options.Address);
    }

    /// <summary>
    /// Names of the sandboxes this process started: what a leak check may blame on it (other processes on the machine,
    /// say a demo in real-Docker mode, have sandboxes of their own).
    /// </summary>
    public static System.Collections.Concurrent.ConcurrentQueue<string> StartedHere { get; } = new();

    /// <summary>The network namespace (<c>/run/netns/{Name}</c>).</summary>
    public string Name { get; }

    /// <summary>The host's end of the veth pair.</summary>
    public string HostVeth { get; }

    /// <summary>The guest's address (on its eth0).</summary>
    public IPAddress Address { get; }

    /// <summary>The host's end: connections from the host to <see cref="Address"/> come from here.</summary>
    public IPAddress HostAddress { get; }

    public string HostName => _options.HostName;

    /// <summary>The sandbox's directory on the host (owner-only): overlay upper layers, dockerd's and containerd's data.</summary>
    public string Directory { get; }

    /// <summary>The guest's init, as the host sees its PID.</summary>
    public int InitPid => _initPid;

    public bool IsRunning => _boot is { HasExited: false } && Volatile.Read(ref _disposed) == 0;

    /// <summary>Boots a sandbox; throws <see cref="GuestSandboxException"/> (after undoing what was set up) when it cannot.</summary>
    public static async Task<GuestSandbox> StartAsync(GuestSandboxOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Guest sandboxes need Linux namespaces.");
        }

        if (GuestRequirements.Missing() is { } missing)
        {
            throw new GuestSandboxException(missing);
        }

        if (!HostNamePattern().IsMatch(options.HostName))
        {
            throw new ArgumentException($"'{options.HostName}' is not a valid host name.", nameof(options));
        }

        if (options.AdminUsername is { } admin && !UserPattern().IsMatch(admin))
        {
            throw new ArgumentException($"'{admin}' is not a valid user name.", nameof(options));
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var directory = Path.Combine(Path.GetFullPath(options.WorkDirectory ?? Path.GetTempPath()), "dockervm-guest-" + id);
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var sandbox = new GuestSandbox(options, id, directory, logger);
        StartedHere.Enqueue(sandbox.Name);
        var clock = Stopwatch.StartNew();
        try
        {
            await sandbox.SetUpAsync(cancellationToken);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        GuestLog.Started(logger, sandbox.Name, options.HostName, sandbox.Address, sandbox.HostAddress, clock.ElapsedMilliseconds);
        return sandbox;
    }

    /// <summary>Runs <c>/bin/sh -c <paramref name="command"/></c> as root in the guest, with nothing but PATH in its environment.</summary>
    public Task<GuestCommandResult> RunAsync(string command, string? stdin = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        HostCommand.RunAsync(Nsenter, Enter(["/usr/bin/env", "-i", "PATH=" + HandlerPath, "/bin/sh", "-c", command]), stdin, timeout ?? CommandTimeout, cancellationToken: cancellationToken);

    /// <summary>
    /// Runs a script the way the CustomScript handler does (custom-script-extension-linux main/cmds.go
    /// <c>writeTempScript</c>, main/exec.go <c>ExecCmdInDir</c>): written to <c>{directory}/script.sh</c> (0500, in a 0700
    /// directory, CRLF turned into LF by its dos2unix step), run as <c>/bin/sh -c {directory}/script.sh</c> with the
    /// directory as working directory, stdout and stderr into <c>{directory}/stdout</c> and <c>stderr</c> (0600).
    /// Returns the exit code and both files whole.
    /// </summary>
    public async Task<GuestCommandResult> RunHandlerScriptAsync(string handler, string script, string directory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (!SafePath().IsMatch(directory))
        {
            throw new ArgumentException($"'{directory}' is not a plain absolute path.", nameof(directory));
        }

        var path = directory + "/script.sh";
        var write = await RunAsync(
            $"mkdir -p -m 0700 {directory} && rm -f {path} && (umask 077 && cat > {path}) && chmod 0500 {path}",
            script.Replace("\r\n", "\n", StringComparison.Ordinal), cancellationToken: cancellationToken);
        if (!write.Succeeded)
        {
            throw new GuestSandboxException($"Writing {path} in {Name} failed with {write.Describe()}");
        }

        return await RunHandlerCommandAsync(handler, path, directory, timeout, cancellationToken);
    }

    /// <summary>Runs <c>/bin/sh -c <paramref name="command"/></c> the way the CustomScript handler runs its command (see
    /// <see cref="RunHandlerScriptAsync"/>): in <paramref name="directory"/>, output into its stdout and stderr files.</summary>
    public async Task<GuestCommandResult> RunHandlerCommandAsync(string handler, string command, string directory, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!SafePath().IsMatch(directory))
        {
            throw new ArgumentException($"'{directory}' is not a plain absolute path.", nameof(directory));
        }

        var prepare = await RunAsync($"mkdir -p -m 0700 {directory}", cancellationToken: cancellationToken);
        if (!prepare.Succeeded)
        {
            throw new GuestSandboxException($"Creating {directory} in {Name} failed with {prepare.Describe()}");
        }

        var clock = Stopwatch.StartNew();
        var run = await HostCommand.RunAsync(
            Nsenter,
            Enter(["/bin/sh", "-c", "cd \"$1\" && umask 077 && exec >stdout 2>stderr </dev/null && umask 022 && exec /usr/bin/env -i PATH=\"$2\" /bin/sh -c \"$3\"", "sh", directory, HandlerPath, command]),
            timeout: timeout,
            cancellationToken: cancellationToken);
        GuestLog.HandlerRan(_logger, Name, handler, run.ExitCode, clock.ElapsedMilliseconds);
        var stdout = await RunAsync($"cat {directory}/stdout", cancellationToken: cancellationToken);
        var stderr = await RunAsync($"cat {directory}/stderr", cancellationToken: cancellationToken);
        return new GuestCommandResult(run.ExitCode, stdout.Stdout, stderr.Stdout + (run.ExitCode == -1 ? run.Stderr : ""));
    }

    /// <summary>A file of the guest, as text; null when it cannot be read.</summary>
    public async Task<string?> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!SafePath().IsMatch(path))
        {
            throw new ArgumentException($"'{path}' is not a plain absolute path.", nameof(path));
        }

        var result = await RunAsync("cat -- " + path, cancellationToken: cancellationToken);
        return result.Succeeded ? result.Stdout : null;
    }

    /// <summary>What the guest's init logged for <paramref name="unit"/> and the unit wrote (its journal).</summary>
    public Task<string?> JournalAsync(string unit, CancellationToken cancellationToken = default) =>
        ReadFileAsync($"/run/dockervm-init/journal/{unit}.log", cancellationToken);

    /// <summary>The mangle-table chain every packet arriving on the guest's eth0 goes through first (before dockerd's
    /// DNAT of published ports, so rules see the port the caller connected to).</summary>
    public const string InboundChain = "DOCKERVM-NSG";

    /// <summary>
    /// Loads netfilter rules into the guest's network namespace with <c>iptables-restore --noflush</c>: the text declares
    /// (and so flushes) its chains in the mangle table, <see cref="InboundChain"/> among them, which is hooked into
    /// PREROUTING for eth0 once. The host's rules are not touched.
    /// </summary>
    public async Task ApplyPacketFilterAsync(string iptablesRestore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iptablesRestore);
        var result = await RunAsync(
            $"iptables-restore --noflush && {{ iptables -t mangle -C PREROUTING -i eth0 -j {InboundChain} 2>/dev/null || iptables -t mangle -I PREROUTING 1 -i eth0 -j {InboundChain}; }}",
            iptablesRestore, cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new GuestSandboxException($"iptables-restore in {Name} failed with {result.Describe()}");
        }

        var rules = iptablesRestore.Split('\n').Count(l => l.StartsWith("-A ", StringComparison.Ordinal));
        GuestLog.PacketFilterApplied(_logger, Name, rules);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var stragglers = 0;
        if (_boot is { HasExited: false } && _initPid > 0)
        {
            // Containers first, so that runc removes their cgroups; then dockerd and the rest, through the init.
            await Step("remove containers", () => RunAsync(
                "systemctl is-active --quiet docker.service || exit 0; ids=$(DOCKER_CONFIG=/run/dockervm-cli docker ps -aq) && [ -n \"$ids\" ] && DOCKER_CONFIG=/run/dockervm-cli docker rm -f $ids >/dev/null; exit 0",
                timeout: TimeSpan.FromSeconds(30)));
            await Step("poweroff", () => RunAsync("systemctl poweroff", timeout: TimeSpan.FromSeconds(60)));
        }

        if (_boot is not null)
        {
            await Step("kill init", async () =>
            {
                // unshare --kill-child: its death SIGKILLs the init, and the kernel every process of the PID namespace.
                if (!_boot.HasExited)
                {
                    _boot.Kill();
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _boot.WaitForExitAsync(wait.Token);
            });
            await Step("sweep", () =>
            {
                stragglers = KillStragglers();
                return Task.CompletedTask;
            });
        }

        if (_networkCreated)
        {
            await Step("delete network namespace", async () =>
            {
                await HostCommand.RunAsync(GuestRequirements.Ip, ["netns", "delete", Name]);
                // The kernel destroys a namespace (and the veth pair with it) asynchronously.
                for (var i = 0; i < 50 && LinkExists(HostVeth); i++)
                {
                    await Task.Delay(100);
                }

                if (LinkExists(HostVeth))
                {
                    await HostCommand.RunCheckedAsync(GuestRequirements.Ip, ["link", "delete", HostVeth]);
                }
            });
        }

        await Step("delete directory", () =>
        {
            // Never recurse into a mount: with private propagation there is none on the host, but check.
            var mounted = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
                .FirstOrDefault(m => m == Directory || m.StartsWith(Directory + "/", StringComparison.Ordinal));
            if (mounted is not null)
            {
                throw new GuestSandboxException($"{mounted} is still mounted on the host; {Directory} is left in place");
            }

            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }

            return Task.CompletedTask;
        });
        _boot?.Dispose();
        GuestLog.Stopped(_logger, Name, clock.ElapsedMilliseconds, stragglers);
    }

    private async Task SetUpAsync(CancellationToken cancellationToken)
    {
        WriteGuestFiles();
        if (_options.DockerdInUsrBin)
        {
            // A whiteout (character device 0:0) in the upper layer hides the host's /usr/sbin/dockerd from the guest.
            await HostCommand.RunCheckedAsync("/usr/bin/mknod", [Path.Combine(Directory, "usr.upper", "sbin", "dockerd"), "c", "0", "0"], cancellationToken: cancellationToken);
        }

        await EnsureAddressesFreeAsync(cancellationToken);

        var ip = GuestRequirements.Ip;
        var peer = "dvmg" + HostVeth[3..];
        await HostCommand.RunCheckedAsync(ip, ["netns", "add", Name], cancellationToken: cancellationToken);
        _networkCreated = true;
        await HostCommand.RunCheckedAsync(ip, ["link", "add", HostVeth, "type", "veth", "peer", "name", peer], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["link", "set", peer, "netns", Name], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["addr", "add", HostAddress.ToString(), "peer", Address + "/32", "dev", HostVeth], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["link", "set", HostVeth, "up"], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["-n", Name, "link", "set", peer, "name", "eth0"], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["-n", Name, "addr", "add", Address.ToString(), "peer", HostAddress + "/32", "dev", "eth0"], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["-n", Name, "link", "set", "eth0", "up"], cancellationToken: cancellationToken);
        await HostCommand.RunCheckedAsync(ip, ["-n", Name, "link", "set", "lo", "up"], cancellationToken: cancellationToken);

        // The guest has no IPv6 address (as the VM's public IP is IPv4 only): dockerd's [::]:port must not be reachable
        // over a link-local address around the packet filter.
        await HostCommand.RunCheckedAsync(
            Nsenter, ["--net=/run/netns/" + Name, "--", "/bin/sh", "-c", "[ ! -e /proc/sys/net/ipv6/conf/eth0 ] || echo 1 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6"],
            cancellationToken: cancellationToken);

        var boot = new Process
        {
            StartInfo = HostCommand.StartInfo(
                Nsenter,
                [
                    "--net=/run/netns/" + Name, "--", "/usr/bin/unshare", "--mount", "--uts", "--ipc", "--pid", "--fork", "--kill-child",
                    "--propagation", "private", "--", "/bin/bash", Path.Combine(Directory, "guest-boot.sh"), Directory, _options.HostName,
                    _options.AdminUsername ?? "-", _options.DockerdInUsrBin ? "usr-bin" : "usr-sbin",
                ],
                redirectInput: false),
            EnableRaisingEvents = true,
        };
        boot.OutputDataReceived += (_, e) => OnBootOutput(e.Data, stdout: true);
        boot.ErrorDataReceived += (_, e) => OnBootOutput(e.Data, stdout: false);
        boot.Exited += (_, _) => _ready.TrySetException(new GuestSandboxException($"The guest {Name} stopped while booting: {BootOutput()}"));
        boot.Start();
        _boot = boot;
        boot.BeginOutputReadLine();
        boot.BeginErrorReadLine();
        try
        {
            await _ready.Task.WaitAsync(_options.BootTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new GuestSandboxException($"The guest {Name} did not boot within {_options.BootTimeout}: {BootOutput()}");
        }

        var children = await File.ReadAllTextAsync($"/proc/{boot.Id}/task/{boot.Id}/children", cancellationToken);
        _initPid = int.Parse(children.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        _netNamespace = new FileInfo($"/proc/{_initPid}/ns/net").LinkTarget;
        _mountNamespace = new FileInfo($"/proc/{_initPid}/ns/mnt").LinkTarget;
    }

    private void WriteGuestFiles()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        // The guest sees these through its /usr overlay: the systemctl client over the host's, and its init.
        WriteResource("systemctl", Path.Combine(Directory, "usr.upper", "bin", "systemctl"), Executable);
        WriteResource("guest-init.py", Path.Combine(Directory, "usr.upper", "lib", "dockervm", "guest-init.py"), Readable);
        WriteResource("guest-boot.sh", Path.Combine(Directory, "guest-boot.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (_options.DockerdInUsrBin)
        {
            // Mount points for the binary (guest-boot.sh), and the unit naming it where Ubuntu's package does.
            File.WriteAllBytes(Path.Combine(Directory, "dockerd.bin"), []);
            File.WriteAllBytes(Path.Combine(Directory, "usr.upper", "bin", "dockerd"), []);
            File.SetUnixFileMode(Path.Combine(Directory, "usr.upper", "bin", "dockerd"), Executable);
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, "usr.upper", "sbin"));
            var unit = Path.Combine(Directory, "usr.upper", "lib", "systemd", "system", "docker.service");
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(unit)!);
            File.WriteAllText(unit, File.ReadAllText("/lib/systemd/system/docker.service").Replace(GuestRequirements.Dockerd, "/usr/bin/dockerd", StringComparison.Ordinal));
        }

        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "docker"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "containerd"));

        // Modes as on the host, whatever the emulator's umask (run.sh's is 077): a directory of an upper layer gives the
        // guest's /usr/bin, /usr/lib, ... their mode, and dockerd's remapped root must traverse /var/lib/docker.
        foreach (var directory in System.IO.Directory.EnumerateDirectories(Directory, "*", SearchOption.AllDirectories).Prepend(Path.Combine(Directory, "usr.upper")))
        {
            File.SetUnixFileMode(directory, Executable);
        }

        File.SetUnixFileMode(Path.Combine(Directory, "usr.upper", "bin", "systemctl"), Executable);
        File.SetUnixFileMode(Path.Combine(Directory, "usr.upper", "lib", "dockervm", "guest-init.py"), Readable);
        if (_options.DockerdInUsrBin)
        {
            File.SetUnixFileMode(Path.Combine(Directory, "usr.upper", "lib", "systemd", "system", "docker.service"), Readable);
        }
    }

    private static void WriteResource(string name, string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var resource = typeof(GuestSandbox).Assembly.GetManifestResourceStream("DockerVm.Emulator.Guest." + name)
            ?? throw new InvalidOperationException($"The emulator lacks its resource {name}.");
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode });
        resource.CopyTo(file);
    }

    /// <summary>Two sandboxes (or anything else) must not share an address: the host's routes would be ambiguous.</summary>
    private async Task EnsureAddressesFreeAsync(CancellationToken cancellationToken)
    {
        var addresses = await HostCommand.RunCheckedAsync(GuestRequirements.Ip, ["-o", "-4", "addr", "show"], cancellationToken: cancellationToken);
        var routes = await HostCommand.RunCheckedAsync(GuestRequirements.Ip, ["-4", "route", "show", "table", "all"], cancellationToken: cancellationToken);
        foreach (var address in new[] { Address, HostAddress })
        {
            var text = address.ToString();
            if (Regex.IsMatch(addresses + routes, $@"(^|[\s/]){Regex.Escape(text)}([\s/]|$)", RegexOptions.Multiline))
            {
                throw new GuestSandboxException($"{text} is already in use on this host (another sandbox or emulator?)");
            }
        }
    }

    private IEnumerable<string> Enter(IEnumerable<string> command)
    {
        if (_initPid <= 0 || _boot is null || _boot.HasExited)
        {
            throw new GuestSandboxException($"The guest {Name} is not running.");
        }

        return new[] { "-t", _initPid.ToString(CultureInfo.InvariantCulture), "-m", "-u", "-i", "-n", "-p", "--" }.Concat(command);
    }

    private void OnBootOutput(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        if (stdout && line == "READY")
        {
            _ready.TrySetResult();
            return;
        }

        lock (_bootOutput)
        {
            if (_bootOutput.Length < 16_000)
            {
                _bootOutput.AppendLine(line);
            }
        }
    }

    private string BootOutput()
    {
        lock (_bootOutput)
        {
            return _bootOutput.Length == 0 ? "(no output)" : _bootOutput.ToString().Trim();
        }
    }

    /// <summary>Kills, by PID, every process still in the sandbox's network or mount namespace.</summary>
    private int KillStragglers()
    {
        var killed = 0;
        if (_netNamespace is null)
        {
            return 0;
        }

        foreach (var entry in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var net = new FileInfo($"{entry}/ns/net").LinkTarget;
                var mnt = new FileInfo($"{entry}/ns/mnt").LinkTarget;
                if (net == _netNamespace || mnt == _mountNamespace)
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                    killed++;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile.
            }
        }

        return killed;
    }

    private static bool LinkExists(string name) => System.IO.Directory.Exists("/sys/class/net/" + name);

    private async Task Step(string step, Func<Task> action)
    {
        try
        {
            await action();
        }
#pragma warning disable CA1031 // Teardown goes on whatever one step throws; each failure is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            GuestLog.TeardownStepFailed(_logger, Name, step, ex.Message);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex HostNamePattern();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserPattern();

    [GeneratedRegex("^(/[A-Za-z0-9._-]+)+$")]
    private static partial Regex SafePath();
}
