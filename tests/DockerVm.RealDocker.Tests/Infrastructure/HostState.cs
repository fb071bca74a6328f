using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using DockerVm.Emulator.Guest;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>
/// What the guest sandboxes must leave as they found it on the host: its netfilter rules (<c>nft list ruleset</c> and
/// the iptables views of them, packet counters left out), /etc/docker and the other files the installers and dockerd
/// write on a VM (names, modes, sizes, contents), and no dockervm network namespace, veth or route of ours left over.
/// The baseline is taken before the first sandbox boots.
/// </summary>
internal sealed partial record HostState(string Netfilter, string Files, string Leftovers)
{
    /// <summary>Written on a VM by the scripts (certificates, drop-in, unit rewrite, enable links), by dockerd with
    /// userns-remap (dockremap in passwd/group/subuid/subgid, key.json) and by useradd (the admin user); and the
    /// systemctl the sandbox shadows with its own.</summary>
    private static readonly string[] WatchedFiles =
    [
        "/etc/docker", "/etc/systemd/system", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow", "/etc/subuid", "/etc/subgid",
        "/etc/hostname", "/etc/hosts", "/lib/systemd/system/docker.service", "/lib/systemd/system/docker.socket", "/usr/bin/systemctl",
        "/usr/bin/dockerd", "/var/lib/docker", "/var/lib/containerd", "/var/lib/waagent", "/home", "/run/docker.sock", "/run/containerd",
    ];

    private static readonly Lock Gate = new();
    private static HostState? _baseline;

    public static HostState? Baseline
    {
        get
        {
            lock (Gate)
            {
                return _baseline;
            }
        }
    }

    /// <summary>How many installer sandboxes were torn down since the baseline.</summary>
    public static int SandboxesTornDown { get; private set; }

    public static async Task CaptureBaselineOnceAsync()
    {
        var state = await CaptureAsync();
        lock (Gate)
        {
            _baseline ??= state;
        }
    }

    public static void RecordTeardown()
    {
        lock (Gate)
        {
            SandboxesTornDown++;
        }
    }

    public static async Task<HostState> CaptureAsync()
    {
        var netfilter = new StringBuilder();
        foreach (var (file, arguments) in new (string, string[])[]
        {
            ("/usr/sbin/nft", ["list", "ruleset"]),
            ("/usr/sbin/iptables-save", []),
            ("/usr/sbin/ip6tables-save", []),
            ("/usr/sbin/iptables-legacy-save", []),
            ("/usr/sbin/ip6tables-legacy-save", []),
        })
        {
            if (File.Exists(file))
            {
                var result = await HostCommand.RunAsync(file, arguments);
                netfilter.Append("## ").Append(file).Append(" (exit ").Append(result.ExitCode).Append(")\n").Append(Normalize(result.Stdout));
            }
        }

        var files = new StringBuilder();
        foreach (var watched in WatchedFiles)
        {
            var entries = Directory.Exists(watched) && new DirectoryInfo(watched).LinkTarget is null
                ? [watched, .. Directory.EnumerateFileSystemEntries(watched, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)]
                : new[] { watched };
            foreach (var path in entries)
            {
                files.Append(path).Append(' ').Append(await DescribeAsync(path)).Append('\n');
            }
        }

        var links = await HostCommand.RunAsync(GuestRequirements.Ip, ["-o", "link", "show"]);
        var namespaces = await HostCommand.RunAsync(GuestRequirements.Ip, ["netns", "list"]);
        var routes = await HostCommand.RunAsync(GuestRequirements.Ip, ["-4", "route", "show", "table", "all"]);
        // Only what this process's sandboxes made counts: a concurrent demo or test run elsewhere has its own.
        var ours = GuestSandbox.StartedHere.ToHashSet(StringComparer.Ordinal);
        var leftovers = string.Join('\n',
            links.Stdout.Split('\n').Where(l => OurLink().Match(l) is { Success: true } m && ours.Contains("dockervm-" + m.Groups[1].Value)).Select(l => "link " + l)
                .Concat(namespaces.Stdout.Split('\n').Where(l => ours.Contains(l.Split(' ')[0])).Select(l => "netns " + l))
                .Concat(routes.Stdout.Split('\n').Where(l => (l.StartsWith("198.18.", StringComparison.Ordinal) || l.Contains(" 198.19.", StringComparison.Ordinal))
                    && (!l.Contains(" dev dvm", StringComparison.Ordinal) || ours.Any(n => l.Contains(" dev dvm" + n["dockervm-".Length..], StringComparison.Ordinal)))).Select(l => "route " + l)));
        return new HostState(netfilter.ToString(), files.ToString(), leftovers);
    }

    private static async Task<string> DescribeAsync(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
        {
            return "-> " + target;
        }

        if (info.Exists)
        {
            var content = info.Length <= 1 << 20 ? Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))) : info.LastWriteTimeUtc.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return $"{Octal(info.UnixFileMode)} {info.Length} {content}";
        }

        return Directory.Exists(path) ? $"{Octal(new DirectoryInfo(path).UnixFileMode)} dir" : "absent";
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>Counters and the "Generated by … on {date}" comments change on their own; the rules do not.</summary>
    private static string Normalize(string rules) =>
        NftCounters().Replace(Counters().Replace(GeneratedComment().Replace(rules, ""), "[-]"), "packets - bytes -");

    [GeneratedRegex(@"^# (Generated by|Completed on).*$\n?", RegexOptions.Multiline)]
    private static partial Regex GeneratedComment();

    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();

    [GeneratedRegex(@"packets \d+ bytes \d+")]
    private static partial Regex NftCounters();

    [GeneratedRegex(@"^\d+: dvm([0-9a-f]{8})[@:]")]
    private static partial Regex OurLink();
}
