using System.Net.Mime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>Maps a <see cref="DockerHostEvent"/> to a CloudEvents 1.0 structured-mode JSON document.</summary>
public static class DockerHostCloudEvents
{
    public const string ProvisionedType = "com.dockervmfunctions.dockerhost.provisioned";
    public const string FailedType = "com.dockervmfunctions.dockerhost.failed";
    public const string DeprovisionedType = "com.dockervmfunctions.dockerhost.deprovisioned";

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly JsonEventFormatter Formatter = new(DataOptions, default);

    public static string EventType(DockerHostEventType type) => type switch
    {
        DockerHostEventType.Provisioned => ProvisionedType,
        DockerHostEventType.Failed => FailedType,
        DockerHostEventType.Deprovisioned => DeprovisionedType,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>
    /// The same for every delivery attempt and every replay of the orchestration (so receivers can dedupe), different per
    /// instance, execution and event type.
    /// </summary>
    public static string EventId(DockerHostEvent hostEvent)
    {
        ArgumentNullException.ThrowIfNull(hostEvent);
        var material = $"{hostEvent.InstanceId}\n{hostEvent.ExecutionId}\n{EventType(hostEvent.Type)}";
        return "evt_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)))[..32];
    }

    public static CloudEvent Create(DockerHostEvent hostEvent, Uri source, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(hostEvent);
        return new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = EventId(hostEvent),
            Type = EventType(hostEvent.Type),
            Source = source,
            Subject = hostEvent.InstanceId,
            Time = time,
            DataContentType = MediaTypeNames.Application.Json,
            Data = new DockerHostEventData(
                hostEvent.InstanceId,
                hostEvent.VmResourceId,
                hostEvent.Fqdn,
                hostEvent.PublicIpAddress,
                hostEvent.DockerHost,
                hostEvent.CaCertificateSecretUri,
                hostEvent.ClientCertificateSecretUri,
                hostEvent.ClientKeySecretUri,
                hostEvent.ErrorCode is null && hostEvent.ErrorMessage is null ? null : new DockerHostEventError(hostEvent.ErrorCode, Redact(hostEvent.ErrorMessage))),
        };
    }

    /// <summary>The exact bytes that are signed and sent, and their content type.</summary>
    public static (byte[] Body, string ContentType) Encode(CloudEvent cloudEvent)
    {
        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out var contentType);
        return (body.ToArray(), contentType.ToString());
    }

    public static CloudEvent Decode(ReadOnlyMemory<byte> body) => Formatter.DecodeStructuredModeMessage(body, null, null);

    /// <summary>Error text comes from exceptions; a PEM block in one must never reach a receiver.</summary>
    private static string? Redact(string? message) =>
        message is not null && (message.Contains("-----BEGIN", StringComparison.Ordinal) || message.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase))
            ? "(error message withheld: it contained key material)"
            : message;
}
