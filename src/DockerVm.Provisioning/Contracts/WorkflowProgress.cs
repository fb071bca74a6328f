namespace DockerVm.Provisioning.Contracts;

/// <summary>Custom status of both orchestrations: only the step, never resource secrets.</summary>
public sealed record WorkflowProgress(ProvisioningStep Step);
