namespace DockerVm.Provisioning.Orchestrations;

/// <summary>Thrown by orchestrator code (not activities) when a step fails on its own terms: a deadline passed, a
/// resource reported provisioningState Failed.</summary>
public sealed class WorkflowStepFailedException(string errorCode, string message) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
}
