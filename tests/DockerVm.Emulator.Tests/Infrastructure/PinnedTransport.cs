using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>HTTP transport that trusts exactly one certificate (the emulator's), nothing else.</summary>
internal static class PinnedTransport
{
    public static HttpClientHandler Handler(X509Certificate2 pinned) => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.RawDataMemory.Span.SequenceEqual(pinned.RawDataMemory.Span),
    };

    public static HttpClientTransport For(X509Certificate2 pinned) => new(Handler(pinned));

    public static HttpClient Client(X509Certificate2 pinned, Uri baseAddress) => new(Handler(pinned)) { BaseAddress = baseAddress };

    /// <summary>A client of the emulator's control API, with its secret.</summary>
    public static HttpClient ControlClient(AzureEmulator emulator)
    {
        var client = Client(emulator.Certificate, emulator.BaseUri);
        client.DefaultRequestHeaders.Add(AzureEmulator.ControlSecretHeader, emulator.ControlSecret);
        return client;
    }
}
