using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Storage;
using DockerVm.Provisioning.Tests.Infrastructure;
using DockerVm.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.Provisioning.Tests.Application;

/// <summary>
/// One target Docker host (resource group + VM name), one live workflow: what <see cref="DockerVmService"/> answers
/// when requests for the same host differ in key or body, race each other, or come after a failure or a deprovisioning.
/// </summary>
public sealed class TargetOwnershipTests
{
    private static ProvisionDockerVmRequest Request(string name = "dockerhost1", string? key = null, string vmSize = "Standard_B2s") =>
        DockerVmServiceTests.Request(name, key) with { VmSize = vmSize };

    [Fact]
    public async Task Submit_SameHostUnderTwoKeys_SecondIsConflictNamingTheInstanceAndOneVmIsCreated()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(key: "k1"), null, default));
        var second = Assert.IsType<SubmitRejected>(await host.Service.SubmitAsync(host.Client, Request(key: "k2"), null, default));
        await host.WaitAsync(first.InstanceId);

        Assert.Equal(SubmitRejected.Conflict, second.Reason);
        Assert.Equal(first.InstanceId, second.ExistingInstanceId);
        Assert.Contains(first.InstanceId, second.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.CallCount(nameof(StartVirtualMachineCreation)));
    }

    [Fact]
    public async Task Submit_SameBodyWithKeyThenWithoutKey_SecondIsDuplicate()
    {
        await using var host = await WorkflowTestHost.StartAsync(FakeAzure.WithRealCertificateAuthority());

        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(key: "k1"), null, default));
        var second = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, default));
        await host.WaitAsync(first.InstanceId);

        Assert.True(second.Duplicate);
        Assert.Equal(first.InstanceId, second.InstanceId);
    }

    [Fact]
    public async Task Submit_SameBodyWithoutKeyThenWithKey_SecondIsConflict()
    {
        await using var host = await WorkflowTestHost.StartAsync(FakeAzure.WithRealCertificateAuthority());

        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, default));
        var second = await host.Service.SubmitAsync(host.Client, Request(key: "k1"), null, default);
        await host.WaitAsync(first.InstanceId);

        Assert.Equal(SubmitRejected.Conflict, Assert.IsType<SubmitRejected>(second).Reason);
    }

    [Fact]
    public async Task Submit_SameHostDifferentBodyWithoutKey_Conflict()
    {
        await using var host = await WorkflowTestHost.StartAsync(FakeAzure.WithRealCertificateAuthority());

        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, default));
        var second = await host.Service.SubmitAsync(host.Client, Request(vmSize: "Standard_D4s_v5"), null, default);
        await host.WaitAsync(first.InstanceId);

        Assert.Equal(SubmitRejected.Conflict, Assert.IsType<SubmitRejected>(second).Reason);
    }

    [Theory]
    [InlineData("otherhost", "Standard_B2s")]
    [InlineData("dockerhost1", "Standard_D4s_v5")]
    public async Task Submit_KeyReusedForADifferentRequest_KeyReusedNamingTheFirstInstanceAndNothingScheduled(string name, string vmSize)
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(key: "k1"), null, default));
        await host.WaitAsync(first.InstanceId);

        var reused = Assert.IsType<SubmitRejected>(await host.Service.SubmitAsync(host.Client, Request(name, "k1", vmSize), null, default));

        Assert.Equal(SubmitRejected.IdempotencyKeyReused, reused.Reason);
        Assert.Equal(first.InstanceId, reused.ExistingInstanceId);
        Assert.Equal("idempotencyKey", reused.Errors[0].Field);
        Assert.Single((await host.Service.ListAsync(host.Client, null, 50, default)).Items);
        Assert.Equal(1, fake.CallCount(nameof(StartVirtualMachineCreation)));
    }

    [Fact]
    public async Task Submit_TwentyConcurrentRequestsUnderDifferentKeys_OneRunOneVmAndNineteenConflicts()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => host.Service.SubmitAsync(host.Client, Request(key: $"key-{i}"), null, default))));

        var accepted = Assert.Single(outcomes.OfType<SubmitAccepted>());
        Assert.False(accepted.Duplicate);
        Assert.All(outcomes.OfType<SubmitRejected>(), r => Assert.Equal((SubmitRejected.Conflict, accepted.InstanceId), (r.Reason, r.ExistingInstanceId)));
        Assert.Equal(19, outcomes.OfType<SubmitRejected>().Count());
        await host.WaitAsync(accepted.InstanceId);
        Assert.Equal(1, fake.CallCount(nameof(StartVirtualMachineCreation)));
    }

    [Fact]
    public async Task Deprovision_TenConcurrentDeletions_ExactlyOneSchedulesAndTheRestAreDuplicates()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var submitted = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, default));
        await host.WaitAsync(submitted.InstanceId);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Task.Run(() => host.Service.DeprovisionAsync(host.Client, submitted.InstanceId, default))));

        var accepted = outcomes.Select(o => Assert.IsType<DeprovisionAccepted>(o)).ToList();
        Assert.Single(accepted, a => !a.Duplicate);
        Assert.Single(accepted.Select(a => a.DeprovisionInstanceId).Distinct());
        await host.WaitAsync(accepted[0].DeprovisionInstanceId);
        Assert.Equal(1, fake.CallCount(nameof(DeleteDockerSecrets)));
    }

    [Fact]
    public async Task Submit_AfterDeprovision_RepeatUnderTheOldKeyIsDuplicateAndANewRequestStartsANewRun()
    {
        var fake = FakeAzure.WithRealCertificateAuthority();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(key: "k1"), null, default));
        await host.WaitAsync(first.InstanceId);
        var deprovision = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, first.InstanceId, default));
        await host.WaitAsync(deprovision.DeprovisionInstanceId);

        // A late retry of the first request must not bring back the host someone deleted.
        var lateRetry = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(key: "k1"), null, default));
        var fresh = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(key: "k2"), null, default));
        await host.WaitAsync(fresh.InstanceId);

        Assert.True(lateRetry.Duplicate);
        Assert.False(fresh.Duplicate);
        Assert.Equal(first.InstanceId, fresh.InstanceId);
        Assert.Equal(DockerVmState.Succeeded, (await host.Service.GetAsync(host.Client, fresh.InstanceId, default))!.State);
        Assert.Equal(2, fake.CallCount(nameof(StartVirtualMachineCreation)));
    }

    [Fact]
    public async Task Submit_WhileTheHostIsBeingDeprovisioned_Conflict()
    {
        await using var api = ApiTestContext.Create();
        var service = api.Services.GetRequiredService<DockerVmService>();
        var spec = TestSpecs.Spec();
        var instanceId = InstanceIds.ForProvisioning(spec);
        api.Client.Seed(nameof(ProvisionDockerVm), instanceId, spec, OrchestrationRuntimeStatus.Completed, output: new Contracts.ProvisionDockerVmResult { Succeeded = true });
        api.Client.Seed(nameof(DeprovisionDockerVm), instanceId + DockerVmService.DeprovisionSuffix, null, OrchestrationRuntimeStatus.Running);

        var outcome = Assert.IsType<SubmitRejected>(await service.SubmitAsync(api.Client, SameAs(spec), null, default));

        Assert.Equal(SubmitRejected.Conflict, outcome.Reason);
        Assert.Contains("being deprovisioned", outcome.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_SchedulingFails_LeavesNoClaimOrKeySoTheRetryStartsTheRun()
    {
        await using var api = ApiTestContext.Create();
        var service = api.Services.GetRequiredService<DockerVmService>();
        api.Client.FailNextScheduleWith = new InvalidOperationException("task hub unavailable");

        await Assert.ThrowsAsync<InvalidOperationException>(() => service.SubmitAsync(api.Client, Request(key: "k1"), null, default));
        Assert.Equal(0, api.Records.Count(RecordTables.Hosts));
        Assert.Equal(0, api.Records.Count(RecordTables.IdempotencyKeys));

        var retry = Assert.IsType<SubmitAccepted>(await service.SubmitAsync(api.Client, Request(key: "k1"), null, default));
        Assert.False(retry.Duplicate);
        Assert.Single(api.Client.Scheduled);
    }

    [Fact]
    public async Task Submit_ClaimOfAClaimantThatDied_HoldsForTheGraceThenFreesTheHost()
    {
        await using var api = ApiTestContext.Create();
        var service = api.Services.GetRequiredService<DockerVmService>();
        var request = Request();
        var instanceId = InstanceIds.ForTarget(request.ResourceGroup!, request.Name!);
        await api.Records.TryCreateAsync(RecordTables.Hosts, instanceId, new HostClaim
        {
            RunId = "run-of-a-dead-claimant",
            Fingerprint = "another-request",
            ClaimedAt = api.Time.GetUtcNow(),
        }, default);

        var whileHeld = await service.SubmitAsync(api.Client, request, null, default);
        api.Time.Advance(DockerVmService.ClaimGrace);
        var afterGrace = await service.SubmitAsync(api.Client, request, null, default);

        Assert.Equal(SubmitRejected.Conflict, Assert.IsType<SubmitRejected>(whileHeld).Reason);
        Assert.False(Assert.IsType<SubmitAccepted>(afterGrace).Duplicate);
        Assert.Single(api.Client.Scheduled);
    }

    [Fact]
    public async Task Get_RunClaimedButNotYetVisible_ShowsPendingUntilTheGraceEnds()
    {
        await using var api = ApiTestContext.Create();
        var service = api.Services.GetRequiredService<DockerVmService>();
        var instanceId = InstanceIds.ForTarget("rg-docker", "dockerhost1");
        await api.Records.TryCreateAsync(RecordTables.Hosts, instanceId, new HostClaim { RunId = "r1", Fingerprint = "f", ClaimedAt = api.Time.GetUtcNow() }, default);

        var whileScheduling = await service.GetAsync(api.Client, instanceId, default);
        api.Time.Advance(DockerVmService.ClaimGrace);
        var afterGrace = await service.GetAsync(api.Client, instanceId, default);

        Assert.Equal(DockerVmState.Pending, whileScheduling!.State);
        Assert.Null(afterGrace);
    }

    private static ProvisionDockerVmRequest SameAs(Contracts.DockerVmSpec spec) => DockerVmServiceTests.Request(spec.Name) with
    {
        ResourceGroup = spec.ResourceGroup,
        Location = spec.Location,
        VmSize = spec.VmSize,
        AllowedSourceCidrs = [.. spec.AllowedSourceCidrs],
    };
}
