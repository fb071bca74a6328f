using DockerVm.Provisioning.Contracts;

namespace DockerVm.Provisioning.Application;

/// <param name="Code">ARM error code (e.g. <c>QuotaExceeded</c>) or a workflow code (e.g. <c>VmReadyTimeout</c>).</param>
public sealed record DockerVmError(string Code, string Message, ProvisioningStep? FailedStep);
