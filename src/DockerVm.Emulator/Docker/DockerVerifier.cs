using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Docker;

/// <summary>
/// Runs the verify section for real: mutual TLS to the emulated daemon from the VM's own address (local traffic, not
/// subject to the NSG, like the script's loopback curl), TLS name = the FQDN, trust = the CA from the script only, then
/// <c>/_ping</c> and <c>/version</c>; then the same without a client certificate, which must be refused. Returns the
/// script's stdout line, or throws InvalidDataException with the script's stderr message (and its stdout line in Data).
/// </summary>
internal static class DockerVerifier
{
    public const string Marker = "DOCKERVM-VERIFY";

    /// <summary>Key of the failed check's stdout line in the exception's <c>Data</c>.</summary>
    public const string StdoutKey = "stdout";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static string Run(DockerVerifyPlan plan, string vmAddress, ILogger logger)
    {
        var endpoint = new IPEndPoint(IPAddress.Parse(vmAddress), plan.Port);
        using var ca = Load(() => X509Certificate2.CreateFromPem(plan.CaPem));
        using var client = Load(() =>
        {
            using var ephemeral = X509Certificate2.CreateFromPem(plan.CertPem, plan.KeyPem);
            return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        });
        try
        {
            string ping;
            string version;
            try
            {
                using var mtls = Client(endpoint, plan.Fqdn, ca, client);
                ping = mtls.GetStringAsync("_ping").GetAwaiter().GetResult();
                version = mtls.GetStringAsync("version").GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw Fail("FAILED", null, "DockerEndpointUnreachable", $"no OK from /_ping on {plan.Fqdn}:{plan.Port} over loopback with the client certificate");
            }

            if (ping.Trim() != "OK")
            {
                throw Fail("FAILED", null, "DockerEndpointUnreachable", $"no OK from /_ping on {plan.Fqdn}:{plan.Port} over loopback with the client certificate");
            }

            string api;
            string server;
            try
            {
                var root = JsonNode.Parse(version)!;
                api = (string?)root["ApiVersion"] ?? throw new JsonException("no ApiVersion");
                server = (string?)root["Version"] ?? string.Empty;
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                throw Fail("OK", null, "DockerVersionUnreadable", "/version has no ApiVersion");
            }

            try
            {
                using var anonymous = Client(endpoint, plan.Fqdn, ca, null);
                anonymous.GetStringAsync("_ping").GetAwaiter().GetResult();
                throw Fail("OK", false, "DockerClientCertificateNotRequired", "the daemon answered a client without a certificate (is tlsverify on?)");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Refused, as dockerd --tlsverify does.
            }

            var line = $"{Marker} {JsonSerializer.Serialize(new { ping = "OK", apiVersion = api, serverVersion = server, clientCertRequired = true })}";
            DockerLog.Verified(logger, endpoint, "verified");
            return line;
        }
        catch (InvalidDataException ex)
        {
            DockerLog.Verified(logger, endpoint, ex.Message);
            throw;
        }
    }

    /// <summary>The script's exit 1: its stderr is the message, its stdout line rides in <c>Data["stdout"]</c>.</summary>
    private static InvalidDataException Fail(string ping, bool? clientCertRequired, string code, string message)
    {
        var failure = new InvalidDataException($"dockervm verify failed ({code}): {message}");
        failure.Data[StdoutKey] = $"{Marker} {JsonSerializer.Serialize(new { ping, clientCertRequired, error = code, message })}";
        return failure;
    }

    private static X509Certificate2 Load(Func<X509Certificate2> load)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException("curl: (58) unable to load the client certificate or CA of the verify section");
        }
    }

    private static HttpClient Client(IPEndPoint endpoint, string fqdn, X509Certificate2 ca, X509Certificate2? certificate) => new(new SocketsHttpHandler
    {
        // The script's `curl --resolve fqdn:port:127.0.0.1`: from the VM itself, to its own listener.
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(endpoint.Address, 0));
                await socket.ConnectAsync(endpoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = certificate is null ? null : [certificate],
            RemoteCertificateValidationCallback = (_, server, _, errors) =>
                server is X509Certificate2 presented && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                && !errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) && DockerTlsMaterial.ChainsTo(presented, ca),
        },
    })
    {
        BaseAddress = new Uri($"https://{fqdn}:{endpoint.Port}/"),
        Timeout = Timeout,
    };
}
