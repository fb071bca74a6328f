using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace DockerVm.Provisioning.Requests;

/// <summary>
/// dockerd's flags (Linux) as moby defines them (daemon/command/options.go, docker.go, cobra.go, config.go and
/// config_unix.go: name, shorthand, bool or value, list or single), each with the policy for a request's
/// <c>daemonOptions</c>. Everything the workflow sets itself (the install script's ExecStart line
/// <c>--tlsverify --tlscacert … --tlscert … --tlskey … -H unix:// -H tcp://0.0.0.0:port</c>, the DockerExtension's
/// <c>-H=fd:// --tlsverify --tlscacert=… -H=0.0.0.0:port</c>, and the hardened defaults) is forbidden; a short
/// allow-list of operational flags is accepted with a value rule each; every other flag is refused.
/// </summary>
internal static partial class DaemonFlags
{
    /// <summary>Values go on a systemd ExecStart line (and, for DockerExtension, into public settings).</summary>
    public const int MaxValueLength = 200;

    private const string ListenerReason =
        "is managed by the workflow: dockerd listens only on its unix socket and on tcp://0.0.0.0:<dockerPort> with --tlsverify and the issued certificates";

    private const string PathReason =
        "is managed by the workflow: configuration, state and PID files stay where the installer and systemd put them";

    private const string HardenedReason =
        "is one of the hardened defaults the workflow always sets (--userns-remap=default --no-new-privileges --live-restore --icc=false); leave it out";

    private const string WeakensReason =
        "would weaken container isolation, the host's firewall rules or image verification, so a request may not set it";

    private const string ExitReason = "makes dockerd print something and exit instead of serving";

    /// <summary>Log drivers built into dockerd (docs: "Configure logging drivers"), plugins excluded.</summary>
    private static readonly string[] LogDrivers =
        ["json-file", "local", "journald", "syslog", "none", "fluentd", "gelf", "awslogs", "splunk", "gcplogs", "logentries"];

    /// <summary>Storage drivers dockerd supports on Ubuntu's kernels (devicemapper and aufs are removed upstream).</summary>
    private static readonly string[] StorageDrivers = ["overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs"];

    /// <summary>go-units ulimit.go ulimitNameMapping ("as" is disabled there).</summary>
    private static readonly FrozenSet<string> UlimitNames = FrozenSet.Create(
        StringComparer.Ordinal,
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private static readonly DaemonFlag[] All =
    [
        // The allow-list.
        Allow("debug", 'D'),
        Allow("log-level", 'l', OneOf("debug", "info", "warn", "error", "fatal")),
        Allow("log-format", null, OneOf("text", "json")),
        Allow("raw-logs"),
        Allow("log-driver", null, OneOf(LogDrivers)),
        AllowList("log-opt", LogOpt),
        AllowList("default-ulimit", Ulimit),
        Allow("max-concurrent-downloads", null, IntRange(1, 100)),
        Allow("max-concurrent-uploads", null, IntRange(1, 100)),
        Allow("max-download-attempts", null, IntRange(1, 100)),
        Allow("shutdown-timeout", null, IntRange(0, 3600)),
        AllowList("registry-mirror", RegistryMirror),
        Allow("storage-driver", 's', OneOf(StorageDrivers)),
        Allow("experimental"),
        Allow("mtu", null, IntRange(1280, 9000)),
        AllowList("dns", IpAddress),
        AllowList("dns-search", DnsSearch),
        AllowList("dns-opt", DnsOpt),
        AllowList("label", Label),
        AllowList("default-address-pool", AddressPool),
        Allow("bip", null, BridgeIp),
        Allow("fixed-cidr", null, FixedCidr),
        Allow("ip", null, Ipv4Address),
        Allow("userland-proxy"),
        Allow("init"),
        Allow("default-shm-size", null, ShmSize),
        Allow("default-ipc-mode", null, OneOf("private", "shareable")),
        AllowList("exec-opt", ExecOpt),

        // Listeners, TLS and sockets.
        Forbid("host", 'H', ListenerReason, isBool: false, repeatable: true),
        Forbid("tls", null, ListenerReason),
        Forbid("tlsverify", null, ListenerReason),
        Forbid("tlscacert", null, ListenerReason, isBool: false),
        Forbid("tlscert", null, ListenerReason, isBool: false),
        Forbid("tlskey", null, ListenerReason, isBool: false),
        Forbid("group", 'G', ListenerReason, isBool: false),
        Forbid("metrics-addr", null, ListenerReason, isBool: false),
        Forbid("network-diagnostic-port", null, ListenerReason, isBool: false),
        Forbid("swarm-default-advertise-addr", null, ListenerReason, isBool: false),
        Forbid("containerd", null, ListenerReason, isBool: false),

        // Files and paths.
        Forbid("config-file", null, PathReason, isBool: false),
        Forbid("data-root", null, PathReason, isBool: false),
        Forbid("exec-root", null, PathReason, isBool: false),
        Forbid("pidfile", 'p', PathReason, isBool: false),

        // Flags that make dockerd exit.
        Forbid("help", 'h', ExitReason),
        Forbid("version", 'v', ExitReason),
        Forbid("validate", null, ExitReason),

        // The hardened defaults.
        Forbid("userns-remap", null, HardenedReason, isBool: false),
        Forbid("no-new-privileges", null, HardenedReason),
        Forbid("live-restore", null, HardenedReason),
        Forbid("icc", null, HardenedReason),

        // Isolation, firewall and verification.
        Forbid("iptables", null, WeakensReason),
        Forbid("ip6tables", null, WeakensReason),
        Forbid("ip-forward", null, WeakensReason),
        Forbid("ip-forward-no-drop", null, WeakensReason),
        Forbid("ip-masq", null, WeakensReason),
        Forbid("allow-direct-routing", null, WeakensReason),
        Forbid("insecure-registry", null, WeakensReason, isBool: false, repeatable: true),
        Forbid("seccomp-profile", null, WeakensReason, isBool: false),
        Forbid("selinux-enabled", null, WeakensReason),
        Forbid("rootless", null, WeakensReason),
        Forbid("add-runtime", null, WeakensReason, isBool: false, repeatable: true),
        Forbid("default-runtime", null, WeakensReason, isBool: false),
        Forbid("userland-proxy-path", null, WeakensReason, isBool: false),
        Forbid("init-path", null, WeakensReason, isBool: false),
        Forbid("authorization-plugin", null, WeakensReason, isBool: false, repeatable: true),
        Forbid("cri-containerd", null, WeakensReason),
        Forbid("containerd-namespace", null, WeakensReason, isBool: false),
        Forbid("containerd-plugins-namespace", null, WeakensReason, isBool: false),
        Forbid("default-cgroupns-mode", null, WeakensReason, isBool: false),
        Forbid("cgroup-parent", null, WeakensReason, isBool: false),
        Forbid("bridge", 'b', WeakensReason, isBool: false),

        // Real flags a request has no use for.
        NotAllowed("storage-opt"),
        NotAllowed("feature"),
        NotAllowed("default-network-opt"),
        NotAllowed("network-control-plane-mtu"),
        NotAllowed("host-gateway-ip"),
        NotAllowed("default-stop-timeout"),
        NotAllowed("node-generic-resource"),
        NotAllowed("http-proxy"),
        NotAllowed("https-proxy"),
        NotAllowed("no-proxy"),
        NotAllowed("cdi-spec-dir"),
        NotAllowed("nri-opts"),
        NotAllowed("restart", 'r', isBool: true),
        NotAllowed("ipv6", isBool: true),
        NotAllowed("bip6"),
        NotAllowed("fixed-cidr-v6"),
        NotAllowed("default-gateway"),
        NotAllowed("default-gateway-v6"),
        NotAllowed("bridge-accept-fwmark"),
        NotAllowed("cpu-rt-period"),
        NotAllowed("cpu-rt-runtime"),
        NotAllowed("firewall-backend"),
    ];

    public static FrozenDictionary<string, DaemonFlag> ByName { get; } = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static FrozenDictionary<char, DaemonFlag> ByShorthand { get; } =
        All.Where(f => f.Shorthand is not null).ToFrozenDictionary(f => f.Shorthand!.Value);

    /// <summary>The allow-list, for messages and the docs.</summary>
    public static IReadOnlyList<string> AllowedNames { get; } = [.. All.Where(f => f.Policy == DaemonFlagPolicy.Allowed).Select(f => f.Name)];

    private static DaemonFlag Allow(string name, char? shorthand = null, Func<string, string?>? check = null) =>
        new(name, shorthand, IsBool: check is null, Repeatable: false, DaemonFlagPolicy.Allowed, CheckValue: check);

    private static DaemonFlag AllowList(string name, Func<string, string?> check) =>
        new(name, null, IsBool: false, Repeatable: true, DaemonFlagPolicy.Allowed, CheckValue: check);

    private static DaemonFlag Forbid(string name, char? shorthand, string reason, bool isBool = true, bool repeatable = false) =>
        new(name, shorthand, isBool, repeatable, DaemonFlagPolicy.Forbidden, reason);

    private static DaemonFlag NotAllowed(string name, char? shorthand = null, bool isBool = false) =>
        new(name, shorthand, isBool, Repeatable: true, DaemonFlagPolicy.NotAllowed);

    private static Func<string, string?> OneOf(params string[] values) =>
        value => values.Contains(value, StringComparer.Ordinal) ? null : $"must be one of {string.Join(", ", values)}";

    /// <summary>Decimal only: pflag's IntVar would also read 0x10, which the rendered option must not depend on.</summary>
    private static Func<string, string?> IntRange(int min, int max) =>
        value => DecimalPattern().IsMatch(value)
            && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? null
            : $"must be a whole number from {min} to {max}";

    /// <summary>go-units ParseUlimit: <c>name=soft[:hard]</c>, -1 is unlimited, soft ≤ hard unless hard is unlimited.</summary>
    private static string? Ulimit(string value)
    {
        const string Shape = "must be name=soft[:hard] with a ulimit name (nofile, nproc, core, …) and whole numbers (-1 = unlimited)";
        var parts = value.Split('=', 2);
        if (parts.Length != 2 || !UlimitNames.Contains(parts[0]))
        {
            return Shape;
        }

        var limits = parts[1].Split(':');
        if (limits.Length > 2 || limits.Any(l => !DecimalPattern().IsMatch(l) || !long.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < -1))
        {
            return Shape;
        }

        var soft = long.Parse(limits[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var hard = limits.Length == 2 ? long.Parse(limits[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : soft;
        return hard != -1 && (soft == -1 || soft > hard) ? "the soft limit must not exceed the hard limit" : null;
    }

    /// <summary>Container log options: no credentials (the DockerExtension's public settings are readable by anyone who can read the VM).</summary>
    private static string? LogOpt(string value)
    {
        var match = KeyValuePattern().Match(value);
        if (!match.Success)
        {
            return "must be key=value with a lowercase key such as max-size=10m";
        }

        var key = match.Groups["key"].Value;
        return key.Contains("token", StringComparison.Ordinal) || key.Contains("secret", StringComparison.Ordinal)
            || key.Contains("password", StringComparison.Ordinal) || key.Contains("credential", StringComparison.Ordinal)
            ? "must not carry credentials: daemon options are not secret"
            : null;
    }

    /// <summary>moby registry.ValidateMirror, narrowed to https (no plain-text pulls) and no credentials.</summary>
    private static string? RegistryMirror(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.UserInfo.Length == 0
        && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.HostNameType is UriHostNameType.Dns or UriHostNameType.IPv4
        && value.StartsWith("https://", StringComparison.Ordinal)
            ? null
            : "must be an https:// URL without credentials, query or fragment";

    private static string? IpAddress(string value) =>
        (Ipv4Pattern().IsMatch(value) || (value.Contains(':', StringComparison.Ordinal) && IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6))
            ? null
            : "must be an IPv4 or IPv6 address";

    private static string? Ipv4Address(string value) => Ipv4Pattern().IsMatch(value) ? null : "must be an IPv4 address";

    private static string? DnsSearch(string value) => value == "." || DnsNamePattern().IsMatch(value) ? null : "must be a DNS domain name";

    private static string? DnsOpt(string value) => DnsOptPattern().IsMatch(value) ? null : "must be a resolver option such as ndots:2 or edns0";

    /// <summary>moby opts.ValidateLabel: key=value, outside the namespaces Docker reserves.</summary>
    private static string? Label(string value)
    {
        var match = LabelPattern().Match(value);
        if (!match.Success)
        {
            return "must be key=value with a key of letters, digits, '.', '_', '/' or '-'";
        }

        var key = match.Groups["key"].Value;
        return key.StartsWith("com.docker.", StringComparison.OrdinalIgnoreCase) || key.StartsWith("io.docker.", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith("org.dockerproject.", StringComparison.OrdinalIgnoreCase)
            ? "must not use the com.docker.*, io.docker.* or org.dockerproject.* namespaces Docker reserves"
            : null;
    }

    private static string? AddressPool(string value)
    {
        var match = AddressPoolPattern().Match(value);
        if (!match.Success || !TryParseIpv4Cidr(match.Groups["base"].Value, requireNetwork: true, out var prefix))
        {
            return "must be base=<IPv4 network>/<prefix>,size=<prefix>, e.g. base=172.80.0.0/16,size=24";
        }

        var size = int.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture);
        return size < prefix || size > 30 ? "size must be from the base prefix to 30" : null;
    }

    private static string? BridgeIp(string value) =>
        TryParseIpv4Cidr(value, requireNetwork: false, out var prefix) && prefix is >= 8 and <= 30
            ? null
            : "must be the bridge's IPv4 address with a prefix from /8 to /30, e.g. 172.26.0.1/16";

    private static string? FixedCidr(string value) =>
        TryParseIpv4Cidr(value, requireNetwork: true, out var prefix) && prefix is >= 8 and <= 30
            ? null
            : "must be an IPv4 network with a prefix from /8 to /30, e.g. 172.26.0.0/24";

    private static string? ShmSize(string value) => ShmSizePattern().IsMatch(value) ? null : "must be a size such as 64m or 1g";

    private static string? ExecOpt(string value) =>
        value is "native.cgroupdriver=systemd" or "native.cgroupdriver=cgroupfs" ? null : "must be native.cgroupdriver=systemd or native.cgroupdriver=cgroupfs";

    private static bool TryParseIpv4Cidr(string value, bool requireNetwork, out int prefix)
    {
        prefix = 0;
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !Ipv4Pattern().IsMatch(value[..slash]) || !PrefixPattern().IsMatch(value[(slash + 1)..]))
        {
            return false;
        }

        prefix = int.Parse(value[(slash + 1)..], CultureInfo.InvariantCulture);
        return prefix <= 32 && (!requireNetwork || IPNetwork.TryParse(value, out var network) && network.BaseAddress.Equals(IPAddress.Parse(value[..slash])));
    }

    [GeneratedRegex("^-?[0-9]{1,18}$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex("^(?<key>[a-z][a-z0-9-]{0,63})=[A-Za-z0-9._:/,=@+-]{1,190}$")]
    private static partial Regex KeyValuePattern();

    [GeneratedRegex("^(?<key>[A-Za-z0-9][A-Za-z0-9._/-]{0,127})=[A-Za-z0-9._:/,=@+-]{0,190}$")]
    private static partial Regex LabelPattern();

    [GeneratedRegex("^base=(?<base>[0-9.]{7,15}/[0-9]{1,2}),size=(?<size>[0-9]{1,2})$")]
    private static partial Regex AddressPoolPattern();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex("^(0|[1-9][0-9]?)$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex DnsNamePattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}(:[0-9]{1,4})?$")]
    private static partial Regex DnsOptPattern();

    [GeneratedRegex("^[1-9][0-9]{0,9}([kKmMgG][bB]?|[bB])?$")]
    private static partial Regex ShmSizePattern();
}
