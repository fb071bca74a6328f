using System.Globalization;
using System.Text.RegularExpressions;

namespace DockerVm.Emulator.Faults;

/// <summary>
/// The <see cref="FaultKind.DpkgLockHeld"/> guest fault: what a CustomScript does on a just-booted Ubuntu VM where
/// unattended-upgrades holds the dpkg lock when the script's first dpkg-locking apt command runs (Azure/azure-cli#24486,
/// Azure/azure-linux-extensions#95/#1318, Azure/LAMP#40/#41).
/// </summary>
/// <remarks>
/// <para>The emulator does not run the script; it reads it. Heredoc bodies and comments are skipped, commands are found
/// line by line, and the first <c>apt-get</c>/<c>apt</c> command that takes the dpkg lock (install, upgrade, remove …,
/// or the get.docker.com convenience script, which installs with plain <c>apt-get install</c>) decides:</para>
/// <list type="bullet">
/// <item>it waits, and the script goes on, when it passes <c>-o DPkg::Lock::Timeout=N</c> with N ≠ 0 (apt-pkg/deb/debsystem.cc
/// <c>GetLockMaybeWait</c>), when an earlier line writes that option into <c>/etc/apt/apt.conf.d</c>, when an earlier
/// <c>while</c>/<c>until</c> loop waits on <c>/var/lib/dpkg/lock*</c>, or when the command itself is retried (the
/// condition of an <c>until</c>/<c>while !</c> loop, or a loop body that sleeps);</item>
/// <item>otherwise it fails as apt does (apt-pkg/contrib/fileutl.cc <c>GetLock</c>, debsystem.cc <c>Lock</c>; exit 100),
/// and the script stops there under <c>set -e</c>, or runs on without Docker.</item>
/// </list>
/// <para><c>apt-get update</c> takes only the lists lock (apt-pkg/update.cc), so it is not affected; waiting for
/// cloud-init does not help either, since the holder is unattended-upgrades. The wait's length is not modelled: any
/// non-zero timeout outlasts the hold.</para>
/// </remarks>
internal static partial class DpkgLockHeld
{
    public const int HolderPid = 1873;

    /// <summary>/proc/&lt;pid&gt;/comm of unattended-upgrades (15 characters), which apt names in its message.</summary>
    public const string HolderName = "unattended-upgr";

    public const string FrontendLock = "/var/lib/dpkg/lock-frontend";

    private static readonly string[] LockingSubcommands =
        ["install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove", "autopurge", "build-dep", "satisfy"];

    /// <summary>apt's complaint when it cannot take the dpkg frontend lock.</summary>
    public static string AptLockError =>
        $"E: Could not get lock {FrontendLock}. It is held by process {HolderPid} ({HolderName})\n"
        + "N: Be aware that removing the lock file is not a solution and may break your system.\n"
        + $"E: Unable to acquire the dpkg frontend lock ({FrontendLock}), is another process using it?\n";

    /// <summary>What apt prints while it waits (debsystem.cc, "Waiting for cache lock: …").</summary>
    public static string AptWaiting =>
        $"Waiting for cache lock: Could not get lock {FrontendLock}. It is held by process {HolderPid} ({HolderName})...\n";

    /// <summary>How <paramref name="script"/> fares with the lock held: null when it runs no dpkg-locking apt
    /// command; otherwise the outcome of the script up to what it needs from apt.</summary>
    public static GuestScriptOutcome? Run(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        var lines = LogicalLines(script);
        var loops = new Stack<bool>(); // per open loop: does its body (or condition) sleep/retry?
        var waitedBefore = false;
        var ranUpdate = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (LoopStart().IsMatch(line))
            {
                loops.Push(LoopSleeps(lines, i));
                if (LocksMentioned().IsMatch(line))
                {
                    waitedBefore = true;
                }
            }

            if (PersistentTimeout().IsMatch(line) && line.Contains("apt.conf", StringComparison.Ordinal))
            {
                waitedBefore = true;
            }

            // The convenience script installs with plain "apt-get install" (no lock timeout) and set -e.
            var commands = GetDockerPipe().IsMatch(line)
                ? [("install", true, false)]
                : Commands(line).Select(AptCommand);
            foreach (var apt in commands)
            {
                if (apt is null)
                {
                    continue;
                }

                if (!apt.Value.Locks)
                {
                    ranUpdate |= apt.Value.Subcommand == "update";
                    continue;
                }

                var retried = loops.Any(sleeps => sleeps) || RetryCondition().IsMatch(line);
                if (waitedBefore || retried || apt.Value.WaitsForLock)
                {
                    return new GuestScriptOutcome(0, apt.Value.WaitsForLock ? AptWaiting : string.Empty, string.Empty);
                }

                var stdout = ranUpdate ? "Reading package lists...\n" : string.Empty;
                return ErrExit().IsMatch(script)
                    ? new GuestScriptOutcome(100, stdout, AptLockError)
                    : new GuestScriptOutcome(5, stdout, AptLockError + "Failed to restart docker.service: Unit docker.service not found.\n");
            }

            if (LoopEnd().IsMatch(line) && loops.Count > 0)
            {
                loops.Pop();
            }
        }

        return null;
    }

    /// <summary>Lines with heredoc bodies removed, continuation lines joined and comments dropped.</summary>
    private static List<string> LogicalLines(string script)
    {
        var result = new List<string>();
        var raw = script.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? heredocEnd = null;
        var pending = string.Empty;
        foreach (var rawLine in raw)
        {
            if (heredocEnd is not null)
            {
                if (rawLine.Trim() == heredocEnd)
                {
                    heredocEnd = null;
                }

                continue;
            }

            var line = pending + rawLine;
            if (line.EndsWith('\\'))
            {
                pending = line[..^1] + " ";
                continue;
            }

            pending = string.Empty;
            var code = Comment().Replace(line, string.Empty);
            if (Heredoc().Match(code) is { Success: true } heredoc)
            {
                heredocEnd = heredoc.Groups["tag"].Value;
            }

            if (!string.IsNullOrWhiteSpace(code))
            {
                result.Add(code.Trim());
            }
        }

        return result;
    }

    /// <summary>Whether the loop opened on line <paramref name="start"/> sleeps before its <c>done</c> (a retry loop).</summary>
    private static bool LoopSleeps(List<string> lines, int start)
    {
        var depth = 0;
        for (var i = start; i < lines.Count; i++)
        {
            depth += LoopStart().Count(lines[i]);
            if (Sleep().IsMatch(lines[i]))
            {
                return true;
            }

            depth -= LoopEnd().Count(lines[i]);
            if (depth <= 0)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The simple commands of a line (split at ; &amp;&amp; || | and around keywords).</summary>
    private static IEnumerable<string[]> Commands(string line) =>
        CommandSeparator().Split(line)
            .Select(part => part.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length > 0);

    /// <summary>The apt invocation of <paramref name="words"/>, if it is one (after sudo, env assignments, keywords).</summary>
    private static (string Subcommand, bool Locks, bool WaitsForLock)? AptCommand(string[] words)
    {
        var i = 0;
        while (i < words.Length && (words[i] is "sudo" or "then" or "do" or "else" or "if" or "!" or "until" or "while" or "time" or "env" or "-E"
                                    || EnvAssignment().IsMatch(words[i])))
        {
            i++;
        }

        if (i >= words.Length)
        {
            return null;
        }

        if (Path.GetFileName(words[i]) is not ("apt-get" or "apt"))
        {
            return null;
        }

        string? subcommand = null;
        var waits = false;
        for (var j = i + 1; j < words.Length; j++)
        {
            var word = words[j].Trim('\'', '"');
            string? option = null;
            if (word is "-o" or "--option" && j + 1 < words.Length)
            {
                option = words[++j].Trim('\'', '"');
            }
            else if (word.StartsWith("--option=", StringComparison.Ordinal))
            {
                option = word["--option=".Length..];
            }
            else if (word.StartsWith("-o", StringComparison.Ordinal) && word.Length > 2)
            {
                option = word[2..];
            }
            else if (!word.StartsWith('-') && subcommand is null)
            {
                subcommand = word;
            }

            if (option is not null && TimeoutOption().Match(option) is { Success: true } timeout
                && int.TryParse(timeout.Groups["seconds"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            {
                waits = seconds != 0;
            }
        }

        if (subcommand is null)
        {
            return null;
        }

        // "apt-get -f install" and friends lock too; "apt-get -y install" is the common case.
        return (subcommand, LockingSubcommands.Contains(subcommand, StringComparer.Ordinal), waits);
    }

    [GeneratedRegex(@"(^|\s)#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"<<-?\s*(?<q>['""]?)(?<tag>[A-Za-z_][A-Za-z0-9_]*)\k<q>")]
    private static partial Regex Heredoc();

    [GeneratedRegex(@"(^|[;&|\s])(while|until|for)\s")]
    private static partial Regex LoopStart();

    [GeneratedRegex(@"(^|[;&|\s])done(\s|;|$)")]
    private static partial Regex LoopEnd();

    [GeneratedRegex(@"(^|[;&|\s])sleep\s")]
    private static partial Regex Sleep();

    [GeneratedRegex(@"(^|[;&|\s])(until\s|while\s+!)")]
    private static partial Regex RetryCondition();

    [GeneratedRegex(@"/var/lib/dpkg/lock")]
    private static partial Regex LocksMentioned();

    [GeneratedRegex(@"DPkg::Lock::Timeout", RegexOptions.IgnoreCase)]
    private static partial Regex PersistentTimeout();

    [GeneratedRegex(@"^DPkg::Lock::Timeout=(?<seconds>-?\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TimeoutOption();

    [GeneratedRegex(@"\s*(?:;|&&|\|\||\|)\s*")]
    private static partial Regex CommandSeparator();

    [GeneratedRegex(@"get\.docker\.com\S*\s*\|\s*(sudo\s+)?(ba)?sh\b|\bsh\s+\S*get-docker\.sh")]
    private static partial Regex GetDockerPipe();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex EnvAssignment();

    /// <summary><c>set -e</c> in any spelling (<c>set -euo pipefail</c>, <c>set -o errexit</c>) or a <c>-e</c> shebang.</summary>
    [GeneratedRegex(@"(^|\n)\s*set\s+(-[A-Za-z]*e[A-Za-z]*\b|-o\s+errexit)|^#![^\n]*\s-[A-Za-z]*e")]
    private static partial Regex ErrExit();
}
