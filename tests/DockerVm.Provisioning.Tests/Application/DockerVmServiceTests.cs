using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Tests.Infrastructure;

namespace DockerVm.Provisioning.Tests.Application;

public sealed class DockerVmServiceTests
{
    private static FakeAzure NewFake() => FakeAzure.WithRealCertificateAuthority();

    internal static ProvisionDockerVmRequest Request(string name = "dockerhost1", string? idempotencyKey = null) => new()
    {
        Name = name,
        ResourceGroup = "rg-docker",
        Location = "westeurope",
        VmSize = "Standard_B2s",
        AdminUsername = "azureuser",
        SshPublicKey = TestSpecs.SshKey,
        AllowedSourceCidrs = ["203.0.113.0/24"],
        IdempotencyKey = idempotencyKey,
    };

    [Fact]
    public async Task Submit_SameRequestTwice_SchedulesOneInstanceAndReportsDuplicate()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));
        var second = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));
        await host.WaitAsync(first.InstanceId);
        var third = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));

        Assert.False(first.Duplicate);
        Assert.True(second.Duplicate);
        Assert.True(third.Duplicate);
        Assert.Equal(first.InstanceId, second.InstanceId);
        Assert.Equal(first.InstanceId, third.InstanceId);
        Assert.Equal(1, fake.CallCount(nameof(StartVirtualMachineCreation)));
        var page = await host.Service.ListAsync(host.Client, null, 50, CancellationToken.None);
        Assert.Single(page.Items);
    }

    [Fact]
    public async Task Submit_ConcurrentDuplicates_ScheduleOneInstance()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            host.Service.SubmitAsync(host.Client, Request(idempotencyKey: "same-key"), null, CancellationToken.None)));

        var accepted = outcomes.Select(o => Assert.IsType<SubmitAccepted>(o)).ToList();
        Assert.Single(accepted.Select(a => a.InstanceId).Distinct());
        Assert.Single(accepted, a => !a.Duplicate);
        await host.WaitAsync(accepted[0].InstanceId);
        Assert.Equal(1, fake.CallCount(nameof(StartVirtualMachineCreation)));
    }

    [Fact]
    public async Task Submit_IdempotencyKeyHeader_WinsOverBodyKey()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());

        var withHeader = Assert.IsType<SubmitAccepted>(
            await host.Service.SubmitAsync(host.Client, Request(idempotencyKey: "body-key"), "header-key", CancellationToken.None));

        Assert.Equal(InstanceIds.ForTarget("rg-docker", "dockerhost1"), withHeader.InstanceId);
        await host.WaitAsync(withHeader.InstanceId);
    }

    [Fact]
    public async Task Submit_InvalidRequest_RejectsWithEveryErrorAndSchedulesNothing()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var outcome = await host.Service.SubmitAsync(
            host.Client, Request() with { Name = null, AllowedSourceCidrs = ["not-a-cidr"] }, null, CancellationToken.None);

        var rejected = Assert.IsType<SubmitRejected>(outcome);
        Assert.Equal(SubmitRejected.ValidationFailed, rejected.Reason);
        Assert.Contains(rejected.Errors, e => e.Field == "name");
        Assert.Contains(rejected.Errors, e => e.Field == "allowedSourceCidrs[0]");
        Assert.Empty((await host.Service.ListAsync(host.Client, null, 10, CancellationToken.None)).Items);
    }

    [Fact]
    public async Task Submit_AfterFailedAttempt_SchedulesAFreshRun()
    {
        var fake = NewFake();
        fake.Fail(nameof(CreateNetworkSecurityGroup), new PermanentProvisioningException("AuthorizationFailed", "No permission."));
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var first = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));
        await host.WaitAsync(first.InstanceId);
        Assert.Equal(DockerVmState.Failed, (await host.Service.GetAsync(host.Client, first.InstanceId, CancellationToken.None))!.State);

        var retry = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));
        await host.WaitAsync(retry.InstanceId);

        Assert.False(retry.Duplicate);
        Assert.Equal(first.InstanceId, retry.InstanceId);
        Assert.Equal(DockerVmState.Succeeded, (await host.Service.GetAsync(host.Client, first.InstanceId, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task Get_Succeeded_ReturnsEndpointAndSecretUrisOnly()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());
        var accepted = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));
        await host.WaitAsync(accepted.InstanceId);

        var status = await host.Service.GetAsync(host.Client, accepted.InstanceId, CancellationToken.None);

        Assert.NotNull(status);
        Assert.Equal(DockerVmState.Succeeded, status.State);
        Assert.Null(status.CurrentStep);
        Assert.Equal("dockerhost1", status.Name);
        Assert.Equal("tcp://dockerhost1.westeurope.cloudapp.azure.com:2376", status.Host!.DockerHost);
        Assert.NotNull(status.Host.Secrets);
        Assert.Null(status.Error);
    }

    [Fact]
    public async Task Get_Failed_ReturnsArmCodeAndStep()
    {
        var fake = NewFake();
        fake.VmStates.Enqueue(new ArmOperationState("Failed", "SkuNotAvailable", "The requested size is not available."));
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var accepted = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));
        await host.WaitAsync(accepted.InstanceId);

        var status = await host.Service.GetAsync(host.Client, accepted.InstanceId, CancellationToken.None);

        Assert.Equal(DockerVmState.Failed, status!.State);
        Assert.Equal(new DockerVmError("SkuNotAvailable", "The requested size is not available.", ProvisioningStep.CreatingVirtualMachine), status.Error);
        Assert.Null(status.Host);
    }

    [Fact]
    public async Task Get_WhileWaitingForVm_ShowsProvisioningAndCurrentStep()
    {
        var fake = NewFake();
        fake.VmNeverReady = true;
        await using var host = await WorkflowTestHost.StartAsync(fake);
        var accepted = Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(), null, CancellationToken.None));

        DockerVmStatus? status = null;
        for (var i = 0; i < 400 && status?.CurrentStep != ProvisioningStep.CreatingVirtualMachine; i++)
        {
            await Task.Delay(50);
            status = await host.Service.GetAsync(host.Client, accepted.InstanceId, CancellationToken.None);
        }

        Assert.Equal(DockerVmState.Provisioning, status!.State);
        Assert.Equal(ProvisioningStep.CreatingVirtualMachine, status.CurrentStep);
        await host.Client.TerminateInstanceAsync(accepted.InstanceId);
    }

    [Fact]
    public async Task Get_UnknownInstance_ReturnsNull()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());

        Assert.Null(await host.Service.GetAsync(host.Client, "dockervm-missing.rg", CancellationToken.None));
    }

    [Fact]
    public async Task List_PagesThroughProvisioningInstancesOnly()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());
        var ids = new List<string>();
        foreach (var name in new[] { "host-a1", "host-b2", "host-c3" })
        {
            ids.Add(Assert.IsType<SubmitAccepted>(await host.Service.SubmitAsync(host.Client, Request(name), null, CancellationToken.None)).InstanceId);
        }

        foreach (var id in ids)
        {
            await host.WaitAsync(id);
        }

        var deprovision = Assert.IsType<DeprovisionAccepted>(await host.Service.DeprovisionAsync(host.Client, ids[0], CancellationToken.None));
        await host.WaitAsync(deprovision.DeprovisionInstanceId);

        var seen = new List<DockerVmStatus>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await host.Service.ListAsync(host.Client, token, 2, CancellationToken.None);
            seen.AddRange(page.Items);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(ids.Order(), seen.Select(s => s.InstanceId).Order());
        Assert.Equal(DockerVmState.Deprovisioned, seen.Single(s => s.InstanceId == ids[0]).State);
    }
}
