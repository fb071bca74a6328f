using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DockerVm.Functions.Workflow;

/// <summary>Orchestrator functions: each named after, and delegating to, the workflow library's class.</summary>
public static class OrchestratorFunctions
{
    [Function(nameof(ProvisionDockerVm))]
    public static Task<ProvisionDockerVmResult> RunProvisionDockerVm([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DurableFunctionAdapter.RunOrchestratorAsync<ProvisionDockerVm, DockerVmSpec, ProvisionDockerVmResult>(context);

    [Function(nameof(DeprovisionDockerVm))]
    public static Task<DeprovisionDockerVmResult> RunDeprovisionDockerVm([OrchestrationTrigger] TaskOrchestrationContext context) =>
        DurableFunctionAdapter.RunOrchestratorAsync<DeprovisionDockerVm, DeprovisionDockerVmInput, DeprovisionDockerVmResult>(context);
}
