using System.Security.Cryptography;
using System.Text;

namespace DockerVm.Emulator.Identity;

/// <summary>Compares a presented header with a shared secret (identity header, control secret) in constant time.</summary>
internal static class SharedSecret
{
    public static bool Matches(string? presented, string expected) =>
        !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
