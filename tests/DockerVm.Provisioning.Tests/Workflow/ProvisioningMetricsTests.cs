using System.Diagnostics.Metrics;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Provisioning.Workflow;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace DockerVm.Provisioning.Tests.Workflow;

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
    public async Task SendCallback_ProvisionedAndDelivered_RecordsSucceededRunDurationAndDeliveredCallback()
    {
        var hostEvent = Event(DockerHostEventType.Provisioned, errorCode: null, StartedAt.AddMinutes(7));

        await RunAsync(new CallbackDeliveryResult(true, 1, 200, null), hostEvent, new ProvisioningRun(DockerInstaller.CustomScript, StartedAt));

        var run = Assert.Single(completed.GetMeasurementSnapshot());
        Assert.Equal(1, run.Value);
        Assert.Equal("succeeded", run.Tags["outcome"]);
        Assert.Equal(nameof(DockerInstaller.CustomScript), run.Tags["installer"]);
        Assert.False(run.ContainsTags("error.type"));
        Assert.Equal(420, Assert.Single(duration.GetMeasurementSnapshot()).Value);
        Assert.Equal(nameof(DockerHostEventType.Provisioned), Assert.Single(delivered.GetMeasurementSnapshot()).Tags["event"]);
        Assert.Empty(failed.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task SendCallback_FailedRunAndReceiverDown_RecordsFailedRunWithErrorCodeAndFailedCallback()
    {
        var hostEvent = Event(DockerHostEventType.Failed, "AllocationFailed", StartedAt.AddMinutes(3));

        await RunAsync(new CallbackDeliveryResult(false, 5, 503, "503 Service Unavailable"), hostEvent, new ProvisioningRun(DockerInstaller.DockerExtension, StartedAt));

        var run = Assert.Single(completed.GetMeasurementSnapshot());
        Assert.Equal("failed", run.Tags["outcome"]);
        Assert.Equal("AllocationFailed", run.Tags["error.type"]);
        Assert.Equal(nameof(DockerInstaller.DockerExtension), run.Tags["installer"]);
        var callback = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal(nameof(DockerHostEventType.Failed), callback.Tags["event"]);
        Assert.Equal("503", callback.Tags["http.response.status_code"]);
        Assert.Empty(delivered.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task SendCallback_DeprovisioningCallback_CountsTheCallbackButNoProvisioningRun()
    {
        await RunAsync(new CallbackDeliveryResult(true, 1, 204, null), Event(DockerHostEventType.Deprovisioned, null, StartedAt), run: null);

        Assert.Single(delivered.GetMeasurementSnapshot());
        Assert.Empty(completed.GetMeasurementSnapshot());
        Assert.Empty(duration.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task SendCallback_AnyOutcome_TagsCarryNoUrlInstanceOrResourceName()
    {
        await RunAsync(new CallbackDeliveryResult(false, 1, null, "connection refused"), Event(DockerHostEventType.Failed, "VmReadyTimeout", StartedAt), new ProvisioningRun(DockerInstaller.CustomScript, StartedAt));

        var tags = completed.GetMeasurementSnapshot().Concat(failed.GetMeasurementSnapshot()).SelectMany(m => m.Tags).ToList();
        Assert.NotEmpty(tags);
        Assert.DoesNotContain(tags, t => t.Value is string s && (s.Contains("receiver", StringComparison.Ordinal) || s.Contains("instance-1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Run_WithCallback_PassesTheInstallerAndStartTimeToSendCallback()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        fake.VmStates.Enqueue(new GetVirtualMachineStateOutput("Failed", "AllocationFailed", "Allocation failed in this region."));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        await host.RunAsync(TestSpecs.Spec(installer: DockerInstaller.DockerExtension));

        var callback = Assert.Single(fake.Callbacks);
        Assert.Equal(DockerInstaller.DockerExtension, callback.Run!.Installer);
        Assert.True(callback.Run.StartedAt <= callback.Event.OccurredAt);
    }

    public void Dispose()
    {
        completed.Dispose();
        duration.Dispose();
        delivered.Dispose();
        failed.Dispose();
        services.Dispose();
    }

    private Task<CallbackDeliveryResult> RunAsync(CallbackDeliveryResult result, DockerHostEvent hostEvent, ProvisioningRun? run) =>
        new SendCallback(new StubSender(result), services.GetRequiredService<ProvisioningMetrics>())
            .RunAsync(new TestActivityContext(), new SendCallbackInput(Target, hostEvent, run));

    private static DockerHostEvent Event(DockerHostEventType type, string? errorCode, DateTimeOffset occurredAt) => new()
    {
        Type = type,
        InstanceId = "instance-1",
        OccurredAt = occurredAt,
        ErrorCode = errorCode,
    };

    private sealed class StubSender(CallbackDeliveryResult result) : ICallbackSender
    {
        public Task<CallbackDeliveryResult> SendAsync(CallbackTarget target, DockerHostEvent hostEvent, CancellationToken cancellationToken) => Task.FromResult(result);
    }

    private sealed class TestActivityContext : TaskActivityContext
    {
        public override TaskName Name => nameof(SendCallback);

        public override string InstanceId => "instance-1";
    }
}
