using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Application;

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
