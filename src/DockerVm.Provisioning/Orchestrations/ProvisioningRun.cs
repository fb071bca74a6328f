using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// What one provisioning run knows about itself: the request, its settings and names, the step it is in, what it has
/// created so far and its secrets. The failure path reads it to undo exactly this run's work and report it.
/// Built from the orchestration context only, so it is the same on every replay.
/// </summary>
internal sealed partial class ProvisioningRun
{
    private readonly TaskOrchestrationContext _context;
    private readonly List<string> _created = [];

    public ProvisioningRun(TaskOrchestrationContext context, DockerVmSpec spec, WorkflowSettings settings)
    {
        _context = context;
        Spec = spec;
        Settings = settings;
        StartedAt = context.CurrentUtcDateTime;

        // Distinguishes this run's callbacks from an earlier run under the same (reused) instance id; replay-safe
        // either way, since the choice depends on the input only.
        RunId = spec.RunId ?? context.NewGuid().ToString("N");
        Names = new DockerVmResourceNames(spec.ResourceGroup, spec.Name);
        Tags = WorkflowTags.ForResource(spec.Tags, context.InstanceId);
        Retry = WorkflowSteps.TransientRetry(settings);
    }

    public DockerVmSpec Spec { get; }

    public WorkflowSettings Settings { get; }

    public DateTime StartedAt { get; }

    public string RunId { get; }

    public DockerVmResourceNames Names { get; }

    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Retry options of every Azure step: transient failures only, with backoff.</summary>
    public TaskOptions Retry { get; }

    public ProvisioningStep Step { get; private set; } = ProvisioningStep.CreatingNetwork;

    /// <summary>ARM ids this run created, in creation order.</summary>
    public IReadOnlyList<string> CreatedResourceIds => _created;

    /// <summary>Set once certificates were issued into Key Vault.</summary>
    public DockerSecretIdentifiers? Secrets { get; set; }

    public void Enter(ProvisioningStep step)
    {
        Step = step;
        _context.SetCustomStatus(new WorkflowProgress(step));
        var logger = _context.CreateReplaySafeLogger<ProvisionDockerVm>();
        LogStep(logger, _context.InstanceId, step);
    }

    /// <summary>Records a resource as this run's as soon as it exists, so compensation deletes it.</summary>
    public void Created(string resourceId) => _created.Add(resourceId);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Instance {InstanceId}: step {Step}")]
    private static partial void LogStep(ILogger logger, string instanceId, ProvisioningStep step);
}
