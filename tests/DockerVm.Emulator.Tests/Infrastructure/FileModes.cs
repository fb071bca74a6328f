namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>File permission checks for files that hold secrets (Unix only; Windows has no mode bits).</summary>
internal static class FileModes
{
    public static bool IsOwnerOnly(string path) =>
        OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite);
}
