namespace DockerVm.Provisioning.Callbacks;

/// <summary>The <c>data</c> of a docker host CloudEvent. Identifiers and Key Vault secret URIs only, never key material.</summary>
public sealed record DockerHostEventData(
    string InstanceId,
    string? VmResourceId,
    string? Fqdn,
    string? PublicIpAddress,
    string? DockerHost,
    Uri? CaCertificateSecretUri,
    Uri? ClientCertificateSecretUri,
    Uri? ClientKeySecretUri,
    DockerHostEventError? Error);
