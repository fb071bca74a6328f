using System.Text.Json.Serialization;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Workflow;

namespace DockerVm.Provisioning.Application;

/// <summary>Lifecycle of a Docker host as a caller sees it.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<DockerVmState>))]
public enum DockerVmState
{
    /// <summary>Scheduled, not started yet.</summary>
    Pending,
    Provisioning,
    Succeeded,
    /// <summary>Provisioning failed (created resources were compensated) or the instance was terminated.</summary>
    Failed,
    Deprovisioning,
    Deprovisioned,
    DeprovisionFailed,
}

/// <summary>A Docker host request's state, as the HTTP API returns it. No key material, only secret identifiers.</summary>
public sealed record DockerVmStatus
{
    public required string InstanceId { get; init; }

    public required DockerVmState State { get; init; }

    /// <summary>Step of the running workflow (provisioning or deprovisioning); null when not running.</summary>
    public ProvisioningStep? CurrentStep { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastUpdatedAt { get; init; }

    public string? Name { get; init; }

    public string? ResourceGroup { get; init; }

    public string? Location { get; init; }

    /// <summary>Set once the host is ready.</summary>
    public DockerHostEndpoint? Host { get; init; }

    /// <summary>Set when provisioning (or deprovisioning) failed.</summary>
    public DockerVmError? Error { get; init; }

    /// <summary>Delivery record of the last callback; null when none was asked for or none was sent yet.</summary>
    public CallbackDeliveryResult? Callback { get; init; }

    /// <summary>Id of the deprovisioning instance, once deprovisioning was requested.</summary>
    public string? DeprovisionInstanceId { get; init; }
}

/// <param name="DockerHost"><c>tcp://{fqdn}:{port}</c>, the value for <c>DOCKER_HOST</c>.</param>
public sealed record DockerHostEndpoint(
    string? VmResourceId,
    string? Fqdn,
    string? PublicIpAddress,
    string? DockerHost,
    string? DockerVersion,
    DockerSecretIdentifiers? Secrets);

/// <param name="Code">ARM error code (e.g. <c>QuotaExceeded</c>) or a workflow code (e.g. <c>VmReadyTimeout</c>).</param>
public sealed record DockerVmError(string Code, string Message, ProvisioningStep? FailedStep);

/// <param name="ContinuationToken">Pass back to get the next page; null on the last page.</param>
public sealed record DockerVmStatusPage(IReadOnlyList<DockerVmStatus> Items, string? ContinuationToken);
