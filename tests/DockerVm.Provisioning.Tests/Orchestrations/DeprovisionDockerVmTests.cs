using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Tests.Infrastructure;

namespace DockerVm.Provisioning.Tests.Orchestrations;

public sealed class DeprovisionDockerVmTests
{
    private static FakeAzure NewFake() => FakeAzure.WithRealCertificateAuthority();

    [Fact]
    public async Task Deprovision_AfterSuccess_DeletesVmThenNicThenTheRestThenSecretsAndCallsBack()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var provisioned = await host.RunAsync(TestSpecs.Spec());
        var created = fake.Created.ToList();

        var outcome = await host.Service.DeprovisionAsync(host.Client, provisioned.InstanceId, CancellationToken.None);

        var accepted = Assert.IsType<DeprovisionAccepted>(outcome);
        Assert.Equal(provisioned.InstanceId + "-deprovision", accepted.DeprovisionInstanceId);
        var result = (await host.WaitAsync(accepted.DeprovisionInstanceId)).ReadOutputAs<DeprovisionDockerVmResult>()!;
        Assert.True(result.Succeeded, result.ErrorMessage);
        DeletionOrder.AssertStaged(created, fake.Deleted);
        Assert.Empty(fake.Resources);
        Assert.Empty(fake.Secrets);
        Assert.Equal(5, result.DeletedSecretNames.Count);
        var last = fake.Callbacks.Last();
        Assert.Equal(DockerHostEventType.Deprovisioned, last.Event.Type);
        Assert.Equal(provisioned.InstanceId, last.Event.InstanceId);

        var status = await host.Service.GetAsync(host.Client, provisioned.InstanceId, CancellationToken.None);
        Assert.Equal(DockerVmState.Deprovisioned, status!.State);
        Assert.Null(status.Host);
        Assert.Equal(accepted.DeprovisionInstanceId, status.DeprovisionInstanceId);
    }

    /// <summary>Audit finding 4: Azure refuses the NIC delete for 180 s after the VM delete (NicReservedForAnotherVm);
    /// cleanup asks again on durable timers and then deletes VNet, public IP and NSG too.</summary>
    [Fact]
    public async Task Deprovision_NicReservedForDeletedVm_RetriedOnTimersThenEverythingDeleted()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var provisioned = await host.RunAsync(TestSpecs.Spec());
        var created = fake.Created.ToList();
        fake.NicReservedAnswers = 3;

        var accepted = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, provisioned.InstanceId, CancellationToken.None));
        var result = (await host.WaitAsync(accepted.DeprovisionInstanceId)).ReadOutputAs<DeprovisionDockerVmResult>()!;

        Assert.True(result.Succeeded, $"{result.ErrorCode}: {result.ErrorMessage}");
        Assert.Equal(0, fake.NicReservedAnswers);
        DeletionOrder.AssertStaged(created, fake.Deleted);
        Assert.Empty(fake.Resources);
        Assert.Equal(created.Count + 3, fake.CallCount(nameof(DockerVm.Provisioning.Activities.Cleanup.DeleteResource)));
    }

    [Fact]
    public async Task Deprovision_Twice_SecondIsDuplicate()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var provisioned = await host.RunAsync(TestSpecs.Spec());

        var first = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, provisioned.InstanceId, CancellationToken.None));
        await host.WaitAsync(first.DeprovisionInstanceId);
        var second = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, provisioned.InstanceId, CancellationToken.None));

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.Equal(5, fake.Deleted.Count);
    }

    [Fact]
    public async Task Submit_AfterDeprovisioning_ProvisionsAgainUnderTheSameIdAndCanBeDeprovisionedAgain()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var request = Application.DockerVmServiceTests.Request();
        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, request, null, CancellationToken.None));
        await host.WaitAsync(first.InstanceId);
        var removal = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, first.InstanceId, CancellationToken.None));
        await host.WaitAsync(removal.DeprovisionInstanceId);

        var again = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, request, null, CancellationToken.None));
        await host.WaitAsync(again.InstanceId);
        var statusAfterRerun = await host.Service.GetAsync(host.Client, again.InstanceId, CancellationToken.None);
        var secondRemoval = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, again.InstanceId, CancellationToken.None));
        await host.WaitAsync(secondRemoval.DeprovisionInstanceId);

        Assert.False(again.Duplicate);
        Assert.Equal(first.InstanceId, again.InstanceId);
        Assert.Equal(DockerVmState.Succeeded, statusAfterRerun!.State);
        Assert.Null(statusAfterRerun.DeprovisionInstanceId);
        Assert.False(secondRemoval.Duplicate);
        Assert.Equal(2, fake.CallCount(nameof(StartVirtualMachineCreation)));
        Assert.Equal(10, fake.Deleted.Count);
        Assert.Equal(DockerVmState.Deprovisioned, (await host.Service.GetAsync(host.Client, again.InstanceId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Deprovision_UnknownInstance_IsNotFound()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());

        var outcome = await host.Service.DeprovisionAsync(host.Client, "dockervm-nope.rg", CancellationToken.None);

        Assert.IsType<DeprovisionNotFound>(outcome);
    }

    [Fact]
    public async Task Deprovision_WhileProvisioning_IsConflict()
    {
        var fake = NewFake();
        fake.VmNeverReady = true;
        var options = WorkflowTestHost.FastOptions();
        options.VmReadyTimeout = TimeSpan.FromSeconds(20);
        await using var host = await WorkflowTestHost.StartAsync(fake, options);
        var spec = TestSpecs.Spec();
        var instanceId = DockerVm.Provisioning.Requests.InstanceIds.ForProvisioning(spec);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionDockerVm), spec, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId));
        await host.Client.WaitForInstanceStartAsync(instanceId);

        var outcome = await host.Service.DeprovisionAsync(host.Client, instanceId, CancellationToken.None);

        Assert.IsType<DeprovisionConflict>(outcome);
        await host.Client.TerminateInstanceAsync(instanceId);
    }
}
