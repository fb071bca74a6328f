namespace DockerVm.Provisioning.Contracts;

/// <summary>What a callback says. No key material: only identifiers and Key Vault secret URIs.</summary>
public sealed record DockerHostEvent
{
    public required DockerHostEventType Type { get; init; }

    /// <summary>Orchestration instance id; the CloudEvent subject.</summary>
    public required string InstanceId { get; init; }

    /// <summary>
    /// Optional orchestration execution id. The CloudEvent id is stable per instance and event type so that receivers
    /// can dedupe retries; when an instance id is reused (re-provisioned after a deprovision), the execution id keeps the
    /// new run's events distinct from the old ones.
    /// </summary>
    public string? ExecutionId { get; init; }

    /// <summary>When the event happened (the CloudEvent <c>time</c>). Orchestrations pass <c>context.CurrentUtcDateTime</c>,
    /// so every attempt carries the same body and receivers can deduplicate on it.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    public string? VmResourceId { get; init; }

    public string? Fqdn { get; init; }

    public string? PublicIpAddress { get; init; }

    /// <summary>e.g. <c>tcp://myvm.westeurope.cloudapp.azure.com:2376</c>.</summary>
    public string? DockerHost { get; init; }

    public Uri? CaCertificateSecretUri { get; init; }

    public Uri? ClientCertificateSecretUri { get; init; }

    public Uri? ClientKeySecretUri { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }
}
