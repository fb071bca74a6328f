using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Telemetry;
using Microsoft.DurableTask;

namespace DockerVm.Provisioning.Activities.Telemetry;

/// <param name="StartedAt">The orchestration's replay-safe start time (<c>context.CurrentUtcDateTime</c>).</param>
/// <param name="EndedAt">The replay-safe time the outcome was known.</param>
/// <param name="ErrorCode">Null when the run succeeded.</param>
public sealed record RecordProvisioningOutcomeInput(DockerInstaller Installer, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string? ErrorCode);

/// <summary>Counts a provisioning run's outcome and duration. An activity because the orchestrator replays: what an
/// activity records happens once per run, with or without a callback.</summary>
public sealed class RecordProvisioningOutcome(ProvisioningMetrics metrics) : TaskActivity<RecordProvisioningOutcomeInput, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, RecordProvisioningOutcomeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        metrics.RecordProvisioningCompleted(input.ErrorCode, input.Installer, input.EndedAt - input.StartedAt);
        return Task.FromResult(true);
    }
}
