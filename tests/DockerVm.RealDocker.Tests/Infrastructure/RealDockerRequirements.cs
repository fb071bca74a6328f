using DockerVm.Emulator.Guest;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>Why these tests cannot run here (they are then reported skipped, never passed), or null.</summary>
internal static class RealDockerRequirements
{
    /// <summary>busybox-static: a runnable image without any registry (docker import of a one-binary rootfs).</summary>
    public const string Busybox = "/bin/busybox";

    public static string? Missing { get; } = Find();

    private static string? Find()
    {
        if (GuestRequirements.Missing() is { } missing)
        {
            return "No real dockerd here: " + missing;
        }

        if (!File.Exists(Busybox) || !IsStatic(Busybox))
        {
            return $"No static {Busybox} (Debian's busybox-static) for a registry-free image.";
        }

        return null;
    }

    /// <summary>A static ELF has no PT_INTERP program header.</summary>
    private static bool IsStatic(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[4] != 2)
        {
            return false;
        }

        var programHeaders = BitConverter.ToInt64(bytes, 0x20);
        var entrySize = BitConverter.ToUInt16(bytes, 0x36);
        var count = BitConverter.ToUInt16(bytes, 0x38);
        for (var i = 0; i < count; i++)
        {
            if (BitConverter.ToUInt32(bytes, (int)(programHeaders + (i * entrySize))) == 3)
            {
                return false;
            }
        }

        return true;
    }
}
