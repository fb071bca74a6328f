using System.Text.Json.Serialization;

namespace DockerVm.Provisioning.Contracts;

/// <summary>The step a workflow is in; shown as the orchestration's custom status and named in failures.</summary>
[JsonConverter(typeof(JsonCamelCaseEnumConverter<ProvisioningStep>))]
public enum ProvisioningStep
{
    CreatingNetwork,
    IssuingCertificates,
    CreatingVirtualMachine,
    InstallingDocker,
    VerifyingDocker,
    SendingCallback,
    Compensating,
    DeletingResources,
    DeletingSecrets,
    Completed,
    Failed,
}
