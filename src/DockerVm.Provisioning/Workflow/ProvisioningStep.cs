using System.Text.Json.Serialization;
using DockerVm.Provisioning.Requests;

namespace DockerVm.Provisioning.Workflow;

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

/// <summary>Custom status of both orchestrations: only the step, never resource secrets.</summary>
public sealed record WorkflowProgress(ProvisioningStep Step);
