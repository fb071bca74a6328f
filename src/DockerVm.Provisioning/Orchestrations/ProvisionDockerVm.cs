using Azure.Core;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Configuration;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Telemetry;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace DockerVm.Provisioning.Orchestrations;

/// <summary>
/// Provisions one TLS-secured Docker host: network in two stages (NSG, public IP and VNet at once, then the NIC) →
/// certificates (into Key Vault) → VM → Docker installer extension → the in-VM mutual-TLS check read from the
/// extension's instance view (docs/decisions/0002) → callback. Every ARM write is started by one short activity and
/// waited for on durable timers (<see cref="WorkflowSteps.WaitForOperationAsync"/>): no activity is billed for ARM's
/// time. On failure it deletes what it created (VM, then NIC, then the rest; <see cref="ResourceCleanup"/>), sends the
/// failure callback and returns a failed <see cref="ProvisionDockerVmResult"/> carrying the ARM error code (see
/// docs/decisions: a failure is a result, counted by the outcome metric). Only secret identifiers ever pass through here.
/// </summary>
public sealed partial class ProvisionDockerVm : TaskOrchestrator<DockerVmSpec, ProvisionDockerVmResult>
{
    public override async Task<ProvisionDockerVmResult> RunAsync(TaskOrchestrationContext context, DockerVmSpec input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);

        // Settings travel in the input; instances started before they did read them through the activity, as then.
        var settings = input.Settings ?? await context.CallActivityAsync<WorkflowSettings>(nameof(GetWorkflowSettings));
        var run = new ProvisioningRun(context, input, settings);
        try
        {
            run.Enter(ProvisioningStep.CreatingNetwork);
            var network = await CreateNetworkAsync(context, run);

            run.Enter(ProvisioningStep.IssuingCertificates);
            var vmId = run.Names.VirtualMachineId(DockerVmResourceNames.ResourceGroupId(network.SubscriptionId, input.ResourceGroup)).ToString();
            run.Secrets = await context.CallActivityAsync<DockerSecretIdentifiers>(
                nameof(IssueDockerCertificates),
                new IssueDockerCertificatesInput(
                    run.Names, vmId, network.PublicIp.Fqdn, network.PublicIp.IpAddress, input.KeyAlgorithm, input.IncludeLoopbackInServerCertificate, input.CertificateValidityDays),
                run.Retry);

            run.Enter(ProvisioningStep.CreatingVirtualMachine);
            var vm = await context.CallActivityAsync<StartVirtualMachineCreationOutput>(
                nameof(StartVirtualMachineCreation),
                new StartVirtualMachineCreationInput(
                    input.ResourceGroup, input.Location, input.Name, input.VmSize, input.Image, input.AdminUsername, input.SshPublicKey, network.NetworkInterfaceId, run.Names.OsDisk, run.Tags),
                run.Retry);
            run.Created(vm.VmResourceId);
            await WorkflowSteps.WaitUntilSucceededAsync(
                context, settings, vm.Operation, settings.ExpectedVmDuration, settings.VmReadyTimeout, run.Retry,
                timeoutCode: "VmReadyTimeout", failedCode: "VmProvisioningFailed", what: $"VM {vm.VmResourceId}");

            run.Enter(ProvisioningStep.InstallingDocker);
            var extension = await context.CallActivityAsync<StartDockerInstallationOutput>(
                nameof(StartDockerInstallation),
                new StartDockerInstallationInput(vm.VmResourceId, input.Location, input.Installer, input.DockerPort, input.DaemonOptions, run.Secrets, run.Tags, network.PublicIp.Fqdn),
                run.Retry);
            var docker = await VerifyDockerAsync(context, run, vm.VmResourceId, extension, network.PublicIp.Fqdn);

            return await SucceedAsync(context, run, new ProvisionDockerVmResult
            {
                Succeeded = true,
                VmResourceId = vm.VmResourceId,
                Fqdn = network.PublicIp.Fqdn,
                PublicIpAddress = network.PublicIp.IpAddress,
                DockerHost = $"tcp://{network.PublicIp.Fqdn}:{input.DockerPort}",
                DockerVersion = docker.DockerVersion,
                Secrets = run.Secrets,
                CreatedResourceIds = [.. run.CreatedResourceIds],
            });
        }
        catch (TaskFailedException ex)
        {
            var (code, message) = WorkflowSteps.Describe(ex);
            return await FailAsync(context, run, code, message);
        }
        catch (WorkflowStepFailedException ex)
        {
            return await FailAsync(context, run, ex.ErrorCode, ex.Message);
        }
    }

    /// <summary>
    /// Waits for the installer, then reads the in-VM check (docs/decisions/0002). CustomScript runs the check as the last
    /// part of the install script; after DockerExtension a verify-only CustomScript runs it. A failed extension whose
    /// output carries the check's result is a verification failure (step <c>verifyingDocker</c>, the check's code);
    /// without one it is the extension's own failure.
    /// </summary>
    private static async Task<VerifyDockerEndpointOutput> VerifyDockerAsync(
        TaskOrchestrationContext context, ProvisioningRun run, string vmResourceId, StartDockerInstallationOutput installer, string fqdn)
    {
        var (input, settings) = (run.Spec, run.Settings);
        var verifierId = installer.ExtensionResourceId;
        var state = await WaitForExtensionAsync(context, run, installer.Operation, "ExtensionReadyTimeout", $"Docker installation {verifierId}");
        if (input.Installer == DockerInstaller.DockerExtension)
        {
            ThrowIfFailed(state, verifierId);
            run.Enter(ProvisioningStep.VerifyingDocker);
            var verifier = await context.CallActivityAsync<StartDockerInstallationOutput>(
                nameof(StartDockerVerification),
                new StartDockerVerificationInput(vmResourceId, input.Location, fqdn, input.DockerPort, run.Secrets!, run.Tags),
                run.Retry);
            verifierId = verifier.ExtensionResourceId;
            state = await WaitForExtensionAsync(context, run, verifier.Operation, "DockerVerificationTimeout", $"Docker check {verifierId}");
        }

        var read = () => context.CallActivityAsync<VerifyDockerEndpointOutput>(
            nameof(VerifyDockerEndpoint),
            new VerifyDockerEndpointInput(verifierId, fqdn, input.DockerPort),
            WorkflowSteps.TransientRetry(settings, settings.VerifyAttempts));
        if (!state.IsFailed)
        {
            run.Enter(ProvisioningStep.VerifyingDocker);
            return await read();
        }

        try
        {
            await read();
        }
        catch (TaskFailedException ex)
        {
            var (code, message) = WorkflowSteps.Describe(ex);
            if (code != "DockerVerificationMissing")
            {
                run.Enter(ProvisioningStep.VerifyingDocker);
                throw new WorkflowStepFailedException(code, message);
            }
        }

        ThrowIfFailed(state, verifierId);
        throw new WorkflowStepFailedException("VMExtensionProvisioningError", $"{verifierId} failed.");
    }

    private static Task<ArmOperationState> WaitForExtensionAsync(TaskOrchestrationContext context, ProvisioningRun run, ArmOperationHandle operation, string timeoutCode, string what) =>
        WorkflowSteps.WaitForOperationAsync(
            context, run.Settings, operation, run.Settings.ExpectedExtensionDuration, run.Settings.ExtensionReadyTimeout, run.Retry, timeoutCode, what);

    private static void ThrowIfFailed(ArmOperationState state, string extensionId)
    {
        if (state.IsFailed)
        {
            throw new WorkflowStepFailedException(state.ErrorCode ?? "VMExtensionProvisioningError", state.ErrorMessage ?? $"{extensionId} ended in state {state.ProvisioningState}.");
        }
    }

    /// <summary>
    /// The network in two stages: NSG, public IP and VNet do not depend on each other, so their PUTs start together
    /// and are waited for together (fan-out/fan-in); then the NIC, which names all three. Each id is this run's as soon
    /// as ARM accepted its PUT, so compensation deletes it even when the wait fails. The target resource group is
    /// neither read nor created: it exists before the app runs (infra), the app's identity has rights in it only, and a
    /// missing one fails the first PUT with ARM's own <c>ResourceGroupNotFound</c>.
    /// </summary>
    private static async Task<CreatedNetwork> CreateNetworkAsync(TaskOrchestrationContext context, ProvisioningRun run)
    {
        var (input, names, tags, retry, settings) = (run.Spec, run.Names, run.Tags, run.Retry, run.Settings);
        async Task WaitAsync(ArmOperationHandle operation, string what) =>
            await WorkflowSteps.WaitUntilSucceededAsync(
                context, settings, operation, settings.ExpectedNetworkDuration, settings.NetworkReadyTimeout, retry,
                "NetworkReadyTimeout", "NetworkProvisioningFailed", what);

        async Task<CreateNetworkSecurityGroupOutput> NsgAsync()
        {
            var nsg = await context.CallActivityAsync<CreateNetworkSecurityGroupOutput>(
                nameof(CreateNetworkSecurityGroup),
                new CreateNetworkSecurityGroupInput(input.ResourceGroup, input.Location, names.NetworkSecurityGroup, input.AllowedSourceCidrs, input.DockerPort, tags),
                retry);
            run.Created(nsg.ResourceId);
            await WaitAsync(nsg.Operation, $"NSG {nsg.ResourceId}");
            return nsg;
        }

        async Task<(string ResourceId, string IpAddress, string Fqdn)> PublicIpAsync()
        {
            var ip = await context.CallActivityAsync<CreatePublicIpAddressOutput>(
                nameof(CreatePublicIpAddress),
                new CreatePublicIpAddressInput(input.ResourceGroup, input.Location, names.PublicIpAddress, names.DnsLabel, tags),
                retry);
            run.Created(ip.ResourceId);

            // Checked by reading the address itself: the same GET that says Succeeded carries the address and FQDN.
            var what = $"Public IP {ip.ResourceId}";
            var ready = await WorkflowSteps.WaitAsync(
                context,
                settings,
                () => context.CallActivityAsync<GetPublicIpAddressOutput>(nameof(GetPublicIpAddress), new GetPublicIpAddressInput(ip.ResourceId), retry),
                answer => answer.State,
                settings.ExpectedNetworkDuration,
                ip.Operation.RetryAfter,
                context.CurrentUtcDateTime + settings.NetworkReadyTimeout,
                "NetworkReadyTimeout",
                what);
            WorkflowSteps.ThrowIfFailed(ready.State, "NetworkProvisioningFailed", what);
            return (ip.ResourceId, ready.IpAddress!, ready.Fqdn!);
        }

        async Task<CreateVirtualNetworkOutput> VnetAsync()
        {
            var vnet = await context.CallActivityAsync<CreateVirtualNetworkOutput>(
                nameof(CreateVirtualNetwork), new CreateVirtualNetworkInput(input.ResourceGroup, input.Location, names.VirtualNetwork, tags), retry);
            run.Created(vnet.ResourceId);
            await WaitAsync(vnet.Operation, $"VNet {vnet.ResourceId}");
            return vnet;
        }

        var nsgTask = NsgAsync();
        var ipTask = PublicIpAsync();
        var vnetTask = VnetAsync();
        await Task.WhenAll(nsgTask, ipTask, vnetTask);
        var (nsg, ip, vnet) = (await nsgTask, await ipTask, await vnetTask);

        var nic = await context.CallActivityAsync<CreateNetworkInterfaceOutput>(
            nameof(CreateNetworkInterface),
            new CreateNetworkInterfaceInput(input.ResourceGroup, input.Location, names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags),
            retry);
        run.Created(nic.ResourceId);
        await WaitAsync(nic.Operation, $"NIC {nic.ResourceId}");
        return new CreatedNetwork(new ResourceIdentifier(nic.ResourceId).SubscriptionId!, ip, nic.ResourceId);
    }

    private sealed record CreatedNetwork(string SubscriptionId, (string ResourceId, string IpAddress, string Fqdn) PublicIp, string NetworkInterfaceId);

    private static async Task<ProvisionDockerVmResult> SucceedAsync(TaskOrchestrationContext context, ProvisioningRun run, ProvisionDockerVmResult result)
    {
        var callback = await CallbackNotification.NotifyAsync(context, run.Spec.Callback, HostEvent(context, run, DockerHostEventType.Provisioned, result), run.Settings.TimerResolution);
        await RecordOutcomeAsync(context, run, errorCode: null);
        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.Completed));
        var logger = context.CreateReplaySafeLogger<ProvisionDockerVm>();
        LogSucceeded(logger, context.InstanceId, run.Spec.Name, result.DockerHost!);
        return result with { Callback = callback };
    }

    /// <summary>Compensates (this run's resources in reverse order, then its secrets), calls back <c>failed</c>, and
    /// returns the failure with whatever could not be deleted.</summary>
    private static async Task<ProvisionDockerVmResult> FailAsync(TaskOrchestrationContext context, ProvisioningRun run, string code, string message)
    {
        var logger = context.CreateReplaySafeLogger<ProvisionDockerVm>();
        LogFailed(logger, context.InstanceId, run.Step, code);
        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.Compensating));
        var deleted = new List<string>();
        IReadOnlyList<string> leftovers;
        try
        {
            await ResourceCleanup.DeleteResourcesAsync(context, run.CreatedResourceIds, run.Settings, deleted);
            leftovers = [];

            // Once certificate issuance started, a partial set may exist even without identifiers: delete by name.
            if (run.Step >= ProvisioningStep.IssuingCertificates)
            {
                await ResourceCleanup.DeleteSecretsAsync(context, run.Secrets?.Names ?? run.Names.AllSecrets, run.Settings);
            }
        }
        catch (Exception ex) when (ex is TaskFailedException or WorkflowStepFailedException)
        {
            // What remains is reported (and deprovisioning can delete it later); the original failure stays the error.
            leftovers = [.. run.CreatedResourceIds.Except(deleted, StringComparer.Ordinal)];
            LogCompensationFailed(logger, context.InstanceId, leftovers.Count);
        }

        var result = new ProvisionDockerVmResult
        {
            Succeeded = false,
            ErrorCode = code,
            ErrorMessage = message,
            FailedStep = run.Step,
            CreatedResourceIds = leftovers,
            Secrets = leftovers.Count > 0 ? run.Secrets : null,
        };
        var callback = await CallbackNotification.NotifyAsync(context, run.Spec.Callback, HostEvent(context, run, DockerHostEventType.Failed, result), run.Settings.TimerResolution);
        await RecordOutcomeAsync(context, run, code);
        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.Failed));
        return result with { Callback = callback };
    }

    /// <summary>The callback's content: identifiers and secret URIs of <paramref name="result"/>, never key material.</summary>
    private static DockerHostEvent HostEvent(TaskOrchestrationContext context, ProvisioningRun run, DockerHostEventType type, ProvisionDockerVmResult result) => new()
    {
        Type = type,
        InstanceId = context.InstanceId,
        ExecutionId = run.RunId,
        OccurredAt = context.CurrentUtcDateTime,
        VmResourceId = result.VmResourceId,
        Fqdn = result.Fqdn,
        PublicIpAddress = result.PublicIpAddress,
        DockerHost = result.DockerHost,
        CaCertificateSecretUri = result.Secrets?.CaCertificate,
        ClientCertificateSecretUri = result.Secrets?.ClientCertificate,
        ClientKeySecretUri = result.Secrets?.ClientKey,
        ErrorCode = result.ErrorCode,
        ErrorMessage = result.ErrorMessage,
    };

    /// <summary>Counts the outcome (metrics). Never fails the orchestration: a lost measurement is not a failed run.</summary>
    private static async Task RecordOutcomeAsync(TaskOrchestrationContext context, ProvisioningRun run, string? errorCode)
    {
        try
        {
            await context.CallActivityAsync<bool>(
                nameof(RecordProvisioningOutcome),
                new RecordProvisioningOutcomeInput(run.Spec.Installer, run.StartedAt, context.CurrentUtcDateTime, errorCode));
        }
        catch (TaskFailedException ex)
        {
            var logger = context.CreateReplaySafeLogger<ProvisionDockerVm>();
            LogOutcomeNotRecorded(logger, context.InstanceId, ex.FailureDetails?.ErrorType);
        }
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Instance {InstanceId}: outcome metrics not recorded ({ErrorType})")]
    private static partial void LogOutcomeNotRecorded(ILogger logger, string instanceId, string? errorType);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Instance {InstanceId}: Docker host {VmName} ready at {DockerHost}")]
    private static partial void LogSucceeded(ILogger logger, string instanceId, string vmName, string dockerHost);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Instance {InstanceId}: step {Step} failed with {ErrorCode}; compensating")]
    private static partial void LogFailed(ILogger logger, string instanceId, ProvisioningStep step, string errorCode);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Instance {InstanceId}: compensation incomplete, {LeftoverCount} resources remain")]
    private static partial void LogCompensationFailed(ILogger logger, string instanceId, int leftoverCount);
}
