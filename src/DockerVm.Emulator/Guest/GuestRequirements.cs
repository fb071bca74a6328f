namespace DockerVm.Emulator.Guest;

/// <summary>What a machine needs to run guest sandboxes with a real dockerd (Debian's docker.io, see
/// scripts/install-debian-packages.sh): Linux, root, the namespace and network tools, python3 for the guest's init.</summary>
public static class GuestRequirements
{
    /// <summary>Debian's docker.io puts dockerd here (Ubuntu's package and docker-ce: /usr/bin/dockerd).</summary>
    public const string Dockerd = "/usr/sbin/dockerd";

    private static readonly string[] Programs =
    [
        Dockerd, "/usr/bin/containerd", "/usr/bin/docker", "/usr/bin/unshare", "/usr/bin/nsenter", "/bin/bash", "/usr/bin/python3",
        "/usr/bin/curl", "/usr/sbin/useradd",
    ];

    private static readonly string[][] Alternatives =
    [
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"],
        ["/usr/sbin/iptables", "/sbin/iptables"],
        ["/usr/sbin/iptables-restore", "/sbin/iptables-restore"],
    ];

    /// <summary>Why this machine cannot run a guest sandbox, or null when it can.</summary>
    public static string? Missing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "guest sandboxes need Linux namespaces";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "guest sandboxes need root (network and mount namespaces, dockerd)";
        }

        if (Programs.FirstOrDefault(p => !File.Exists(p)) is { } program)
        {
            return $"{program} is missing (scripts/install-debian-packages.sh installs docker.io, util-linux, iproute2, iptables, curl)";
        }

        if (Alternatives.FirstOrDefault(a => !a.Any(File.Exists)) is { } alternatives)
        {
            return $"{Path.GetFileName(alternatives[0])} is missing";
        }

        try
        {
            if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay", StringComparison.Ordinal))
            {
                return "the kernel has no overlay file system";
            }
        }
        catch (IOException ex)
        {
            return $"/proc/filesystems is unreadable: {ex.Message}";
        }

        return null;
    }

    public static string Ip => Alternatives[0].First(File.Exists);

    public static string IptablesRestore => Alternatives[2].First(File.Exists);
}
