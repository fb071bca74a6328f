namespace DockerVm.Provisioning.Contracts;

public sealed record DeprovisionDockerVmResult
{
    public required bool Succeeded { get; init; }

    public IReadOnlyList<string> DeletedResourceIds { get; init; } = [];

    public IReadOnlyList<string> DeletedSecretNames { get; init; } = [];

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    public CallbackDeliveryResult? Callback { get; init; }
}
