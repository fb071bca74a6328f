using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace DockerVm.Provisioning.Azure;

/// <summary>
/// Local mode only: an HTTP handler that accepts exactly one server certificate (the emulator's, loaded from
/// <see cref="AzureOptions.PinnedCertificatePath"/>) and nothing else: no CA, no "accept any".
/// </summary>
public static class PinnedCertificateHandler
{
    public static SocketsHttpHandler Create(string pemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(pemPath);
        using var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(pemPath)); // certificate only: the file holds no key
        var pinnedRaw = pinned.RawData;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsPinned(certificate, pinnedRaw),
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>Byte-equal to the pinned certificate; chain and name errors are irrelevant once the exact certificate matches.</summary>
    internal static bool IsPinned(X509Certificate? certificate, byte[] pinnedRaw) =>
        certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinnedRaw);
}
