using DockerVm.Provisioning.Configuration;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Activities.Configuration;

/// <summary>Returns the <c>Provisioning</c> options as <see cref="WorkflowSettings"/>; the input is ignored.</summary>
public sealed class GetWorkflowSettings(IOptions<ProvisioningOptions> options) : TaskActivity<string?, WorkflowSettings>
{
    public override Task<WorkflowSettings> RunAsync(TaskActivityContext context, string? input) =>
        Task.FromResult(WorkflowSettings.From(options.Value));
}
