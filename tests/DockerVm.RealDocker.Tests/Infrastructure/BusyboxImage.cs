using System.Formats.Tar;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>A rootfs tarball with Debian's static busybox as /bin/busybox and /bin/sh, for <c>docker import</c>.</summary>
internal static class BusyboxImage
{
    public const string Name = "local/busybox";

    public static async Task WriteAsync(string path)
    {
        await using var file = File.Create(path);
        await using var tar = new TarWriter(file, TarEntryFormat.Pax);
        foreach (var directory in new[] { "bin/", "tmp/", "proc/", "sys/", "dev/", "etc/" })
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, directory)
            {
                Mode = directory == "tmp/" ? (UnixFileMode)0b1_111_111_111 : (UnixFileMode)0b111_101_101,
            });
        }

        await using (var busybox = File.OpenRead(RealDockerRequirements.Busybox))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, DataStream = busybox });
        }

        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
    }
}
