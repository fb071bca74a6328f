using System.Diagnostics;
using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Activities.Telemetry;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Xunit.Abstractions;

namespace DockerVm.Provisioning.Tests.Orchestrations;

public sealed class ProvisionDockerVmTests(ITestOutputHelper output)
{
    private static FakeAzure NewFake() => FakeAzure.WithRealCertificateAuthority();

    [Fact]
    public async Task Run_HappyPath_RunsStepsInOrderAndReturnsDockerHost()
    {
        var fake = NewFake();
        fake.VmStates.Enqueue(new ArmOperationState("Creating", null, null));
        fake.VmStates.Enqueue(new ArmOperationState("Creating", null, null));
        fake.ExtensionStates.Enqueue(new ArmOperationState("Updating", null, null));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var stopwatch = Stopwatch.StartNew();
        var metadata = await host.RunAsync(TestSpecs.Spec());
        stopwatch.Stop();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var result = metadata.ReadOutputAs<ProvisionDockerVmResult>()!;
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("tcp://dockerhost1.westeurope.cloudapp.azure.com:2376", result.DockerHost);
        Assert.Equal("127.0.1.10", result.PublicIpAddress);
        Assert.Equal("27.5.1", result.DockerVersion);
        Assert.EndsWith("/providers/Microsoft.Compute/virtualMachines/dockerhost1", result.VmResourceId, StringComparison.Ordinal);
        Assert.Equal(fake.Created.Order(StringComparer.Ordinal), result.CreatedResourceIds.Order(StringComparer.Ordinal));
        Assert.StartsWith(FakeAzure.VaultUri + "/secrets/", result.Secrets!.ClientKey.ToString(), StringComparison.Ordinal);
        // The network in two stages: the three independent PUTs together, their checks together, then the NIC.
        var calls = fake.Calls.ToList();
        Assert.Equal(
            [nameof(CreateNetworkSecurityGroup), nameof(CreatePublicIpAddress), nameof(CreateVirtualNetwork)],
            calls.Take(3).Order(StringComparer.Ordinal));
        Assert.Equal(
            [nameof(GetArmOperationStatus), nameof(GetArmOperationStatus), nameof(GetPublicIpAddress)],
            calls.Skip(3).Take(3).Order(StringComparer.Ordinal));
        Assert.Equal(
            [
                nameof(CreateNetworkInterface), nameof(GetArmOperationStatus), nameof(IssueDockerCertificates), nameof(StartVirtualMachineCreation),
                nameof(GetArmOperationStatus), nameof(GetArmOperationStatus), nameof(GetArmOperationStatus),
                nameof(StartDockerInstallation), nameof(GetArmOperationStatus), nameof(GetArmOperationStatus),
                nameof(VerifyDockerEndpoint), nameof(SendCallback), nameof(RecordProvisioningOutcome),
            ],
            calls.Skip(6));
        Assert.Equal(3, fake.VmChecks);
        Assert.Equal(2, fake.ExtensionChecks);
        var callback = Assert.Single(fake.Callbacks);
        Assert.Equal(DockerHostEventType.Provisioned, callback.Event.Type);
        Assert.Equal(metadata.InstanceId, callback.Event.InstanceId);
        Assert.Equal(result.Secrets.ClientKey, callback.Event.ClientKeySecretUri);
        Assert.True(result.Callback!.Delivered);
        Assert.Equal(ProvisioningStep.Completed, metadata.ReadCustomStatusAs<WorkflowProgress>()!.Step);
        Assert.Empty(fake.Deleted);
        output.WriteLine($"Happy path with {fake.Calls.Count} activity calls and 3 durable timers took {stopwatch.ElapsedMilliseconds} ms on the in-memory host.");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Run_VmProvisioningFails_DeletesExactlyWhatItCreatedVmThenNicThenTheRestAndCallsBackFailure()
    {
        var fake = NewFake();
        fake.VmStates.Enqueue(new ArmOperationState("Creating", null, null));
        fake.VmStates.Enqueue(new ArmOperationState("Failed", "AllocationFailed", "Allocation failed in this region."));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var metadata = await host.RunAsync(TestSpecs.Spec());

        var result = metadata.ReadOutputAs<ProvisionDockerVmResult>()!;
        Assert.False(result.Succeeded);
        Assert.Equal("AllocationFailed", result.ErrorCode);
        Assert.Equal(ProvisioningStep.CreatingVirtualMachine, result.FailedStep);
        Assert.Equal(5, fake.Created.Count);
        DeletionOrder.AssertStaged(fake.Created, fake.Deleted);
        Assert.Empty(fake.Resources);
        Assert.Empty(fake.Secrets);
        Assert.Empty(result.CreatedResourceIds);
        var callback = Assert.Single(fake.Callbacks);
        Assert.Equal(DockerHostEventType.Failed, callback.Event.Type);
        Assert.Equal("AllocationFailed", callback.Event.ErrorCode);
        Assert.Null(callback.Event.ClientKeySecretUri);
        Assert.Equal(ProvisioningStep.Failed, metadata.ReadCustomStatusAs<WorkflowProgress>()!.Step);
    }

    [Fact]
    public async Task Run_ExtensionFails_CompensatesAndReportsInstallStep()
    {
        var fake = NewFake();
        fake.ExtensionStates.Enqueue(new ArmOperationState("Failed", "VMExtensionProvisioningError", "apt-get exited with 100"));
        fake.Fail(nameof(VerifyDockerEndpoint), new PermanentProvisioningException("DockerVerificationMissing", "no DOCKERVM-VERIFY line"));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.False(result.Succeeded);
        Assert.Equal("VMExtensionProvisioningError", result.ErrorCode);
        Assert.Equal("apt-get exited with 100", result.ErrorMessage);
        Assert.Equal(ProvisioningStep.InstallingDocker, result.FailedStep);
        DeletionOrder.AssertStaged(fake.Created, fake.Deleted);
        Assert.Empty(fake.Secrets);
        Assert.Equal(DockerHostEventType.Failed, Assert.Single(fake.Callbacks).Event.Type);
    }

    [Fact]
    public async Task Run_VmNeverReady_FailsWithDeadlineCodeAfterTimeout()
    {
        var fake = NewFake();
        fake.VmNeverReady = true;
        var options = WorkflowTestHost.FastOptions();
        options.VmReadyTimeout = TimeSpan.FromMilliseconds(600);
        await using var host = await WorkflowTestHost.StartAsync(fake, options);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.False(result.Succeeded);
        Assert.Equal("VmReadyTimeout", result.ErrorCode);
        Assert.Equal(ProvisioningStep.CreatingVirtualMachine, result.FailedStep);
        // No more checks than the poll schedule allows before the deadline (timers firing early would spin far past it),
        // and more than one: the step kept asking until the deadline.
        Assert.InRange(fake.VmChecks, 2, MostChecksBefore(options.VmReadyTimeout, WorkflowSettings.From(options), options.ExpectedVmDuration));
        DeletionOrder.AssertStaged(fake.Created, fake.Deleted);
        Assert.DoesNotContain(nameof(StartDockerInstallation), fake.Calls);
    }

    [Fact]
    public async Task Run_TransientArmErrors_RetriesWithBackoffThenSucceeds()
    {
        var fake = NewFake();
        fake.Fail(nameof(StartVirtualMachineCreation), new TransientProvisioningException("TooManyRequests", "Throttled."), count: 2);
        fake.Fail(nameof(CreatePublicIpAddress), new TransientProvisioningException("InternalServerError", "Oops."));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(3, fake.CallCount(nameof(StartVirtualMachineCreation)));
        Assert.Equal(2, fake.CallCount(nameof(CreatePublicIpAddress)));
        Assert.Empty(fake.Deleted);
    }

    [Fact]
    public async Task Run_TransientErrorsExhaustRetries_FailsWithLastArmCode()
    {
        var fake = NewFake();
        fake.Fail(nameof(CreateVirtualNetwork), new TransientProvisioningException("ServiceUnavailable", "Try later."), count: 10);
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.False(result.Succeeded);
        Assert.Equal("ServiceUnavailable", result.ErrorCode);
        Assert.Equal(WorkflowTestHost.FastOptions().TransientRetryAttempts, fake.CallCount(nameof(CreateVirtualNetwork)));
    }

    [Fact]
    public async Task Run_PermanentArmError_FailsFastWithArmCodeAndCompensates()
    {
        var fake = NewFake();
        fake.Fail(nameof(StartVirtualMachineCreation), new PermanentProvisioningException("QuotaExceeded", "Operation could not be completed as it results in exceeding approved standardBSFamily Cores quota."));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.False(result.Succeeded);
        Assert.Equal("QuotaExceeded", result.ErrorCode);
        Assert.StartsWith("Operation could not be completed", result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ProvisioningStep.CreatingVirtualMachine, result.FailedStep);
        Assert.Equal(1, fake.CallCount(nameof(StartVirtualMachineCreation)));
        Assert.Equal(4, fake.Created.Count);
        DeletionOrder.AssertStaged(fake.Created, fake.Deleted);
        Assert.Empty(fake.Secrets);
        Assert.Equal("QuotaExceeded", Assert.Single(fake.Callbacks).Event.ErrorCode);
    }

    [Fact]
    public async Task Run_FailureBeforeCertificates_LeavesVaultAlone()
    {
        var fake = NewFake();
        fake.Fail(nameof(CreateNetworkSecurityGroup), new PermanentProvisioningException("AuthorizationFailed", "No permission."));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.Equal("AuthorizationFailed", result.ErrorCode);
        Assert.Equal(ProvisioningStep.CreatingNetwork, result.FailedStep);

        // The public IP and the VNet were started beside the NSG: both are deleted again, the vault is not touched.
        Assert.Equal(2, fake.Created.Count);
        Assert.Equal(fake.Created.Order(StringComparer.Ordinal), fake.Deleted.Order(StringComparer.Ordinal));
        Assert.Empty(result.CreatedResourceIds);
        Assert.DoesNotContain(nameof(DeleteDockerSecrets), fake.Calls);
    }

    [Fact]
    public async Task Run_CallbackReceiverKeepsFailing_StillSucceedsAndRecordsDelivery()
    {
        var fake = NewFake();
        fake.CallbackResult = new CallbackAttemptResult(false, 5, 503, "Receiver answered 503 five times.");
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded);
        Assert.False(result.Callback!.Delivered);
        Assert.Equal(503, result.Callback.LastStatusCode);
    }

    [Fact]
    public async Task Run_CallbackFailsTransiently_RetriedAfterDurableTimerWithTheSameEvent()
    {
        var fake = NewFake();
        fake.CallbackResults.Enqueue(new CallbackAttemptResult(false, 1, 503, "receiver answered 503", TimeSpan.FromMilliseconds(200)));
        fake.CallbackResults.Enqueue(new CallbackAttemptResult(false, 2, null, "no response", TimeSpan.FromMilliseconds(200)));
        fake.CallbackResult = new CallbackAttemptResult(true, 3, 200, null);
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded);
        Assert.Equal(new CallbackDeliveryResult(true, 3, 200, null), result.Callback);
        var attempts = fake.Callbacks.ToArray();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.Single(attempts.Select(a => a.Event).Distinct());
    }

    [Fact]
    public async Task Run_SettingsInInput_UsedInsteadOfConfiguredOnes()
    {
        var fake = NewFake();
        fake.VmNeverReady = true;
        var configured = WorkflowTestHost.FastOptions();
        configured.VmReadyTimeout = TimeSpan.FromHours(1);
        var submitted = WorkflowTestHost.FastOptions();
        submitted.VmReadyTimeout = TimeSpan.FromMilliseconds(300);
        await using var host = await WorkflowTestHost.StartAsync(fake, configured);

        var result = (await host.RunAsync(TestSpecs.Spec() with { Settings = WorkflowSettings.From(submitted) })).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.Equal("VmReadyTimeout", result.ErrorCode);
    }

    [Fact]
    public async Task Run_InputWithoutSettings_StartedBeforeTheyTravelledInIt_ReadsConfiguredOnes()
    {
        var fake = NewFake();
        fake.VmNeverReady = true;
        var configured = WorkflowTestHost.FastOptions();
        configured.VmReadyTimeout = TimeSpan.FromMilliseconds(300);
        await using var host = await WorkflowTestHost.StartAsync(fake, configured);

        var result = (await host.RunAsync(TestSpecs.Spec() with { Settings = null })).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.Equal("VmReadyTimeout", result.ErrorCode);
    }

    [Fact]
    public async Task Run_CallbackActivityCrashes_DoesNotFailProvisioning()
    {
        var fake = NewFake();
        fake.Fail(nameof(SendCallback), new InvalidOperationException("boom"));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded);
        Assert.False(result.Callback!.Delivered);
    }

    [Fact]
    public async Task Run_DockerExtensionInstaller_SendsServerPairAsBase64Certs()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec(installer: DockerInstaller.DockerExtension))).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded);
        var settings = System.Text.Json.JsonDocument.Parse(Assert.Single(fake.ProtectedSettings)).RootElement.GetProperty("certs");
        var key = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(settings.GetProperty("key").GetString()!));
        Assert.Equal(fake.Secrets.Values.Single(s => s.Id == result.Secrets!.ServerKey).Value, key);
    }

    [Fact]
    public async Task Run_InVmCheckFailsInsideTheInstaller_ReportsVerifyStepWithTheChecksCode()
    {
        var fake = NewFake();
        fake.ExtensionStates.Enqueue(new ArmOperationState("Failed", "VMExtensionProvisioningError", "exit status=1"));
        fake.Fail(nameof(VerifyDockerEndpoint), new PermanentProvisioningException("DockerClientCertificateNotRequired", "the daemon answered a client without a certificate"));
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec())).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.False(result.Succeeded);
        Assert.Equal("DockerClientCertificateNotRequired", result.ErrorCode);
        Assert.Equal(ProvisioningStep.VerifyingDocker, result.FailedStep);
        DeletionOrder.AssertStaged(fake.Created, fake.Deleted);
    }

    [Fact]
    public async Task Run_DockerExtensionInstaller_VerifiesWithASecondCustomScriptExtension()
    {
        var fake = NewFake();
        await using var host = await WorkflowTestHost.StartAsync(fake);

        var result = (await host.RunAsync(TestSpecs.Spec(installer: DockerInstaller.DockerExtension))).ReadOutputAs<ProvisionDockerVmResult>()!;

        Assert.True(result.Succeeded, result.ErrorMessage);
        var calls = fake.Calls.ToList();
        var verification = calls.IndexOf(nameof(StartDockerVerification));
        Assert.True(verification > calls.IndexOf(nameof(StartDockerInstallation)) + 1, string.Join(", ", calls));
        Assert.Equal(nameof(GetArmOperationStatus), calls[verification - 1]);
        Assert.Equal(nameof(GetArmOperationStatus), calls[verification + 1]);
        Assert.Equal(nameof(VerifyDockerEndpoint), calls[verification + 2]);
        Assert.Equal(2, fake.ExtensionChecks);
    }

    /// <summary>Checks at the schedule's waits (each answered "still running" at once), plus the last one on the deadline.</summary>
    private static int MostChecksBefore(TimeSpan timeout, WorkflowSettings settings, TimeSpan expected)
    {
        var elapsed = PollSchedule.FirstWait(expected, null, settings);
        var checks = 1;
        while (elapsed + PollSchedule.NextWait(checks, expected, null, settings) < timeout)
        {
            elapsed += PollSchedule.NextWait(checks, expected, null, settings);
            checks++;
        }

        return checks + 1;
    }
}
