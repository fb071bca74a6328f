using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Activities.Docker;

/// <param name="PublicIpAddress">Where to connect (the FQDN need not resolve, e.g. locally).</param>
/// <param name="Fqdn">The TLS target host: the server certificate must name it.</param>
public sealed record VerifyDockerEndpointInput(string PublicIpAddress, string Fqdn, int DockerPort, DockerSecretIdentifiers Secrets);

public sealed record VerifyDockerEndpointOutput(string DockerVersion, string ApiVersion);

/// <summary>
/// Proves the host works as a caller would use it: mutual TLS to <c>{ip}:{port}</c> with the issued client certificate,
/// trusting only the per-VM CA and requiring the FQDN in the server certificate, then <c>GET /_ping</c> and
/// <c>GET /version</c>. Failures are transient (dockerd may still be restarting); the orchestrator bounds the retries.
/// </summary>
public sealed partial class VerifyDockerEndpoint(SecretClient secrets, ILogger<VerifyDockerEndpoint> logger)
    : TaskActivity<VerifyDockerEndpointInput, VerifyDockerEndpointOutput>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    public override async Task<VerifyDockerEndpointOutput> RunAsync(TaskActivityContext context, VerifyDockerEndpointInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var caPem = await KeyVaultPem.ReadAsync(secrets, input.Secrets.CaCertificate);
        var clientCertPem = await KeyVaultPem.ReadAsync(secrets, input.Secrets.ClientCertificate);
        var clientKeyPem = await KeyVaultPem.ReadAsync(secrets, input.Secrets.ClientKey);

        using var ca = X509Certificate2.CreateFromPem(caPem);
        using var clientCertificate = X509Certificate2.CreateFromPem(clientCertPem, clientKeyPem);
        var endpoint = new IPEndPoint(IPAddress.Parse(input.PublicIpAddress), input.DockerPort);
        using var http = DockerTlsClient.Create(endpoint, input.Fqdn, ca, clientCertificate, RequestTimeout);

        try
        {
            var ping = await http.GetStringAsync("_ping");
            if (!string.Equals(ping.Trim(), "OK", StringComparison.Ordinal))
            {
                throw new TransientProvisioningException("DockerPingFailed", $"/_ping answered '{Truncate(ping)}' instead of OK.");
            }

            using var version = JsonDocument.Parse(await http.GetStringAsync("version"));
            var root = version.RootElement;
            var result = new VerifyDockerEndpointOutput(
                root.TryGetProperty("Version", out var v) ? v.GetString() ?? "" : "",
                root.TryGetProperty("ApiVersion", out var a) ? a.GetString() ?? "" : "");
            LogVerified(logger, context.InstanceId, input.Fqdn, input.DockerPort, result.DockerVersion);
            return result;
        }
        catch (HttpRequestException ex) when (ex.InnerException is AuthenticationException)
        {
            // A certificate mismatch will not fix itself by waiting, but a half-restarted daemon can present an old
            // certificate briefly: keep it transient and let the bounded retry decide.
            throw new TransientProvisioningException("DockerTlsHandshakeFailed", $"TLS handshake with {input.Fqdn}:{input.DockerPort} failed: {ex.InnerException.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientProvisioningException("DockerEndpointUnreachable", $"{input.Fqdn}:{input.DockerPort} ({input.PublicIpAddress}): {ex.Message}", ex);
        }
        catch (TaskCanceledException ex)
        {
            throw new TransientProvisioningException("DockerEndpointTimeout", $"{input.Fqdn}:{input.DockerPort} did not answer within {RequestTimeout.TotalSeconds} s.", ex);
        }
        catch (JsonException ex)
        {
            throw new PermanentProvisioningException("DockerVersionUnreadable", $"/version did not return JSON: {ex.Message}", ex);
        }
    }

    private static string Truncate(string text) => text.Length > 100 ? text[..100] : text;

    [LoggerMessage(EventId = 2150, Level = LogLevel.Information, Message = "Instance {InstanceId}: Docker endpoint {Fqdn}:{Port} answered with mutual TLS, Docker {DockerVersion}")]
    private static partial void LogVerified(ILogger logger, string instanceId, string fqdn, int port, string dockerVersion);
}
