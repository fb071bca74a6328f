using System.Text.Json.Serialization;
using DockerVm.Provisioning.Contracts;

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
