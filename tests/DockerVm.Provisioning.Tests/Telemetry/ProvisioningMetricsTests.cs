using System.Diagnostics.Metrics;
using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Activities.Telemetry;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Telemetry;
using DockerVm.Provisioning.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DockerVm.Provisioning.Tests.Telemetry;

public sealed class ProvisioningMetricsTests : IDisposable
{
    private static readonly DateTimeOffset StartedAt = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly CallbackTarget Target = new(new Uri("https://receiver.example.com/hooks?token=abc"), null);

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().AddSingleton<ProvisioningMetrics>().BuildServiceProvider();
    private readonly MetricCollector<long> completed;
    private readonly MetricCollector<double> duration;
    private readonly MetricCollector<long> delivered;
    private readonly MetricCollector<long> failed;

    public ProvisioningMetricsTests()
    {
        var meters = services.GetRequiredService<IMeterFactory>();
        completed = new MetricCollector<long>(meters, ProvisioningMetrics.MeterName, ProvisioningMetrics.ProvisioningCompleted);
        duration = new MetricCollector<double>(meters, ProvisioningMetrics.MeterName, ProvisioningMetrics.ProvisioningDuration);
        delivered = new MetricCollector<long>(meters, ProvisioningMetrics.MeterName, ProvisioningMetrics.CallbacksDelivered);
        failed = new MetricCollector<long>(meters, ProvisioningMetrics.MeterName, ProvisioningMetrics.CallbacksFailed);
    }

    [Fact]
    public async Task SendCallback_Delivered_CountsDeliveredCallbackOnly()
    {
        await SendAsync(new CallbackAttemptResult(true, 1, 200, null), Event(DockerHostEventType.Provisioned, errorCode: null));

        Assert.Equal(nameof(DockerHostEventType.Provisioned), Assert.Single(delivered.GetMeasurementSnapshot()).Tags["event"]);
        Assert.Empty(failed.GetMeasurementSnapshot());
        Assert.Empty(completed.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task SendCallback_ReceiverDown_CountsFailedCallbackWithStatus()
    {
        await SendAsync(new CallbackAttemptResult(false, 5, 503, "503 Service Unavailable"), Event(DockerHostEventType.Failed, "AllocationFailed"));

        var callback = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(nameof(DockerHostEventType.Failed), callback.Tags["event"]);
        Assert.Equal("503", callback.Tags["http.response.status_code"]);
        Assert.Empty(delivered.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task SendCallback_AttemptToBeRetried_CountsNothingUntilTheOutcomeIsFinal()
    {
        await SendAsync(new CallbackAttemptResult(false, 1, 503, "503", TimeSpan.FromSeconds(2)), Event(DockerHostEventType.Provisioned, errorCode: null));

        Assert.Empty(failed.GetMeasurementSnapshot());
        Assert.Empty(delivered.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task RecordProvisioningOutcome_Succeeded_RecordsSucceededRunAndDuration()
    {
        await RecordAsync(new RecordProvisioningOutcomeInput(DockerInstaller.CustomScript, StartedAt, StartedAt.AddMinutes(7), null));

        var run = Assert.Single(completed.GetMeasurementSnapshot());
        Assert.Equal(1, run.Value);
        Assert.Equal("succeeded", run.Tags["outcome"]);
        Assert.Equal(nameof(DockerInstaller.CustomScript), run.Tags["installer"]);
        Assert.False(run.ContainsTags("error.type"));
        Assert.Equal(420, Assert.Single(duration.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task RecordProvisioningOutcome_Failed_RecordsFailedRunWithErrorCode()
    {
        await RecordAsync(new RecordProvisioningOutcomeInput(DockerInstaller.DockerExtension, StartedAt, StartedAt.AddMinutes(3), "AllocationFailed"));

        var run = Assert.Single(completed.GetMeasurementSnapshot());
        Assert.Equal("failed", run.Tags["outcome"]);
        Assert.Equal("AllocationFailed", run.Tags["error.type"]);
        Assert.Equal(nameof(DockerInstaller.DockerExtension), run.Tags["installer"]);
        Assert.Equal(180, Assert.Single(duration.GetMeasurementSnapshot()).Value);
    }

    [Fact]
    public async Task Metrics_AnyOutcome_TagsCarryNoUrlInstanceOrResourceName()
    {
        await SendAsync(new CallbackAttemptResult(false, 1, null, "connection refused"), Event(DockerHostEventType.Failed, "VmReadyTimeout"));
        await RecordAsync(new RecordProvisioningOutcomeInput(DockerInstaller.CustomScript, StartedAt, StartedAt, "VmReadyTimeout"));

        var tags = completed.GetMeasurementSnapshot().Concat(failed.GetMeasurementSnapshot()).SelectMany(m => m.Tags).ToList();
        Assert.NotEmpty(tags);
        Assert.DoesNotContain(tags, t => t.Value is string s && (s.Contains("receiver", StringComparison.Ordinal) || s.Contains("instance-1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_VmFailsWithCallback_RecordsFailedOutcomeWithInstallerAndArmCode()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        fake.VmStates.Enqueue(new ArmOperationState("Failed", "AllocationFailed", "Allocation failed in this region."));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        await host.RunAsync(TestSpecs.Spec(installer: DockerInstaller.DockerExtension));

        var outcome = Assert.Single(fake.Outcomes);
        Assert.Equal(DockerInstaller.DockerExtension, outcome.Installer);
        Assert.Equal("AllocationFailed", outcome.ErrorCode);
        Assert.True(outcome.StartedAt <= outcome.EndedAt);
    }

    [Fact]
    public async Task Run_WithoutCallback_StillRecordsTheOutcome()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        await host.RunAsync(TestSpecs.Spec() with { Callback = null });

        Assert.Empty(fake.Callbacks);
        var outcome = Assert.Single(fake.Outcomes);
        Assert.Null(outcome.ErrorCode);
    }

    [Fact]
    public async Task Run_OutcomeActivityFails_ProvisioningStillSucceeds()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        fake.Fail(nameof(RecordProvisioningOutcome), new InvalidOperationException("metrics backend down"));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var metadata = await host.RunAsync(TestSpecs.Spec());

        Assert.True(metadata.ReadOutputAs<ProvisionDockerVmResult>()!.Succeeded);
        Assert.Empty(fake.Deleted);
    }

    public void Dispose()
    {
        completed.Dispose();
        duration.Dispose();
        delivered.Dispose();
        failed.Dispose();
        services.Dispose();
    }

    private Task<CallbackAttemptResult> SendAsync(CallbackAttemptResult result, DockerHostEvent hostEvent) =>
        new SendCallback(new StubSender(result), services.GetRequiredService<ProvisioningMetrics>())
            .RunAsync(new TestActivityContext(), new SendCallbackInput(Target, hostEvent));

    private Task<bool> RecordAsync(RecordProvisioningOutcomeInput input) =>
        new RecordProvisioningOutcome(services.GetRequiredService<ProvisioningMetrics>()).RunAsync(new TestActivityContext(), input);

    private static DockerHostEvent Event(DockerHostEventType type, string? errorCode) => new()
    {
        Type = type,
        InstanceId = "instance-1",
        OccurredAt = StartedAt,
        ErrorCode = errorCode,
    };

    private sealed class StubSender(CallbackAttemptResult result) : ICallbackSender
    {
        public Task<CallbackAttemptResult> SendAsync(CallbackTarget target, DockerHostEvent hostEvent, int attempt, CancellationToken cancellationToken) =>
            Task.FromResult(result);
    }

    private sealed class TestActivityContext : TaskActivityContext
    {
        public override TaskName Name => nameof(SendCallback);

        public override string InstanceId => "instance-1";
    }
}
