using DockerVm.Provisioning.Activities.Callbacks;
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
/// Provisions one TLS-secured Docker host: network → certificates (into Key Vault) → VM (started, then polled) →
/// Docker installer extension (started, then polled) → mutual-TLS check → callback. On failure it deletes what it
/// created, in reverse order, sends the failure callback and returns a failed <see cref="ProvisionDockerVmResult"/>
/// carrying the ARM error code. Only secret identifiers ever pass through here.
/// </summary>
public sealed partial class ProvisionDockerVm : TaskOrchestrator<DockerVmSpec, ProvisionDockerVmResult>
{
    public override async Task<ProvisionDockerVmResult> RunAsync(TaskOrchestrationContext context, DockerVmSpec input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);

        // Replay-safe start time; the run's duration is measured from it.
        var startedAt = context.CurrentUtcDateTime;
        var settings = await context.CallActivityAsync<WorkflowSettings>(nameof(GetWorkflowSettings));

        // Distinguishes this run's callbacks from an earlier run under the same (reused) instance id; replay-safe.
        var runId = context.NewGuid().ToString("N");
        var logger = context.CreateReplaySafeLogger<ProvisionDockerVm>();
        var retry = WorkflowSteps.TransientRetry(settings);
        var names = new DockerVmResourceNames(input.ResourceGroup, input.Name);
        var tags = WorkflowTags.ForResource(input.Tags, context.InstanceId);
        var created = new List<string>();
        var step = ProvisioningStep.CreatingNetwork;
        DockerSecretIdentifiers? secrets = null;

        void Enter(ProvisioningStep next)
        {
            step = next;
            context.SetCustomStatus(new WorkflowProgress(next));
            LogStep(logger, context.InstanceId, next);
        }

        try
        {
            Enter(ProvisioningStep.CreatingNetwork);
            var network = await CreateNetworkAsync(context, input, names, tags, retry, created);
            var ip = network.PublicIp;

            Enter(ProvisioningStep.IssuingCertificates);
            var vmId = $"{network.ResourceGroupId}/providers/Microsoft.Compute/virtualMachines/{input.Name}";
            secrets = await context.CallActivityAsync<DockerSecretIdentifiers>(
                nameof(IssueDockerCertificates),
                new IssueDockerCertificatesInput(names, vmId, ip.Fqdn, ip.IpAddress, input.KeyAlgorithm, input.IncludeLoopbackInServerCertificate, input.CertificateValidityDays),
                retry);

            Enter(ProvisioningStep.CreatingVirtualMachine);
            var vm = await context.CallActivityAsync<StartVirtualMachineCreationOutput>(
                nameof(StartVirtualMachineCreation),
                new StartVirtualMachineCreationInput(
                    input.ResourceGroup, input.Location, input.Name, input.VmSize, input.Image, input.AdminUsername, input.SshPublicKey, network.NetworkInterfaceId, names.OsDisk, tags),
                retry);
            created.Add(vm.VmResourceId);
            await WaitForVirtualMachineAsync(context, vm.VmResourceId, settings, retry);

            Enter(ProvisioningStep.InstallingDocker);
            var extension = await context.CallActivityAsync<StartDockerInstallationOutput>(
                nameof(StartDockerInstallation),
                new StartDockerInstallationInput(vm.VmResourceId, input.Location, input.Installer, input.DockerPort, input.DaemonOptions, secrets, tags),
                retry);
            await WaitForExtensionAsync(context, extension.ExtensionResourceId, settings, retry);

            Enter(ProvisioningStep.VerifyingDocker);
            var docker = await context.CallActivityAsync<VerifyDockerEndpointOutput>(
                nameof(VerifyDockerEndpoint),
                new VerifyDockerEndpointInput(ip.IpAddress, ip.Fqdn, input.DockerPort, secrets),
                WorkflowSteps.TransientRetry(settings, settings.VerifyAttempts));

            var result = new ProvisionDockerVmResult
            {
                Succeeded = true,
                VmResourceId = vm.VmResourceId,
                Fqdn = ip.Fqdn,
                PublicIpAddress = ip.IpAddress,
                DockerHost = $"tcp://{ip.Fqdn}:{input.DockerPort}",
                DockerVersion = docker.DockerVersion,
                Secrets = secrets,
                CreatedResourceIds = [.. created],
            };
            var callback = await NotifyAsync(context, input, runId, DockerHostEventType.Provisioned, result);
            await RecordOutcomeAsync(context, input, startedAt, errorCode: null);
            context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.Completed));
            LogSucceeded(logger, context.InstanceId, input.Name, result.DockerHost);
            return result with { Callback = callback };
        }
        catch (TaskFailedException ex)
        {
            var (code, message) = WorkflowSteps.Describe(ex);
            return await FailAsync(context, input, settings, runId, startedAt, step, code, message, created, names, secrets);
        }
        catch (WorkflowStepFailedException ex)
        {
            return await FailAsync(context, input, settings, runId, startedAt, step, ex.ErrorCode, ex.Message, created, names, secrets);
        }
    }

    /// <summary>NSG, public IP, VNet and NIC; each id is recorded in <paramref name="created"/> as soon as it exists.</summary>
    private static async Task<CreatedNetwork> CreateNetworkAsync(
        TaskOrchestrationContext context,
        DockerVmSpec input,
        DockerVmResourceNames names,
        IReadOnlyDictionary<string, string> tags,
        TaskOptions retry,
        List<string> created)
    {
        var group = await context.CallActivityAsync<EnsureResourceGroupOutput>(
            nameof(EnsureResourceGroup), new EnsureResourceGroupInput(input.ResourceGroup, input.Location, tags), retry);
        var nsg = await context.CallActivityAsync<CreateNetworkSecurityGroupOutput>(
            nameof(CreateNetworkSecurityGroup),
            new CreateNetworkSecurityGroupInput(input.ResourceGroup, input.Location, names.NetworkSecurityGroup, input.AllowedSourceCidrs, input.DockerPort, tags),
            retry);
        created.Add(nsg.ResourceId);
        var ip = await context.CallActivityAsync<CreatePublicIpAddressOutput>(
            nameof(CreatePublicIpAddress),
            new CreatePublicIpAddressInput(input.ResourceGroup, input.Location, names.PublicIpAddress, names.DnsLabel, tags),
            retry);
        created.Add(ip.ResourceId);
        var vnet = await context.CallActivityAsync<CreateVirtualNetworkOutput>(
            nameof(CreateVirtualNetwork), new CreateVirtualNetworkInput(input.ResourceGroup, input.Location, names.VirtualNetwork, tags), retry);
        created.Add(vnet.ResourceId);
        var nic = await context.CallActivityAsync<CreateNetworkInterfaceOutput>(
            nameof(CreateNetworkInterface),
            new CreateNetworkInterfaceInput(input.ResourceGroup, input.Location, names.NetworkInterface, vnet.SubnetId, ip.ResourceId, nsg.ResourceId, tags),
            retry);
        created.Add(nic.ResourceId);
        return new CreatedNetwork(group.ResourceGroupId, ip, nic.ResourceId);
    }

    /// <summary>Durable timer + <see cref="GetVirtualMachineState"/> until Succeeded; Failed or the deadline end the step.</summary>
    private static async Task WaitForVirtualMachineAsync(TaskOrchestrationContext context, string vmResourceId, WorkflowSettings settings, TaskOptions retry)
    {
        var state = await WorkflowSteps.PollUntilAsync(
            context,
            () => context.CallActivityAsync<GetVirtualMachineStateOutput>(nameof(GetVirtualMachineState), new GetVirtualMachineStateInput(vmResourceId), retry),
            s => s.IsSucceeded || s.IsFailed,
            context.CurrentUtcDateTime + settings.VmReadyTimeout,
            settings.PollInterval,
            "VmReadyTimeout",
            $"VM {vmResourceId}");
        if (state.IsFailed)
        {
            throw new WorkflowStepFailedException(state.ErrorCode ?? "VmProvisioningFailed", state.ErrorMessage ?? $"VM provisioning ended in state {state.ProvisioningState}.");
        }
    }

    /// <summary>Durable timer + <see cref="GetExtensionState"/> until Succeeded; Failed or the deadline end the step.</summary>
    private static async Task WaitForExtensionAsync(TaskOrchestrationContext context, string extensionResourceId, WorkflowSettings settings, TaskOptions retry)
    {
        var state = await WorkflowSteps.PollUntilAsync(
            context,
            () => context.CallActivityAsync<GetExtensionStateOutput>(nameof(GetExtensionState), new GetExtensionStateInput(extensionResourceId), retry),
            s => s.IsSucceeded || s.IsFailed,
            context.CurrentUtcDateTime + settings.ExtensionReadyTimeout,
            settings.PollInterval,
            "ExtensionReadyTimeout",
            $"Docker installation {extensionResourceId}");
        if (state.IsFailed)
        {
            throw new WorkflowStepFailedException(state.ErrorCode ?? "VMExtensionProvisioningError", state.ErrorMessage ?? "The Docker installer extension failed.");
        }
    }

    private sealed record CreatedNetwork(string ResourceGroupId, CreatePublicIpAddressOutput PublicIp, string NetworkInterfaceId);

    private static async Task<ProvisionDockerVmResult> FailAsync(
        TaskOrchestrationContext context,
        DockerVmSpec input,
        WorkflowSettings settings,
        string runId,
        DateTime startedAt,
        ProvisioningStep failedStep,
        string code,
        string message,
        List<string> created,
        DockerVmResourceNames names,
        DockerSecretIdentifiers? secrets)
    {
        var logger = context.CreateReplaySafeLogger<ProvisionDockerVm>();
        LogFailed(logger, context.InstanceId, failedStep, code);
        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.Compensating));
        var deleted = new List<string>();
        var leftovers = created;
        try
        {
            await ResourceCleanup.DeleteResourcesAsync(context, created, settings, deleted);
            leftovers = [];

            // Once certificate issuance started, a partial set may exist even without identifiers: delete by name.
            if (failedStep >= ProvisioningStep.IssuingCertificates)
            {
                await ResourceCleanup.DeleteSecretsAsync(context, secrets?.Names ?? names.AllSecrets, settings);
            }
        }
        catch (Exception ex) when (ex is TaskFailedException or WorkflowStepFailedException)
        {
            // What remains is reported (and deprovisioning can delete it later); the original failure stays the error.
            leftovers = [.. created.Except(deleted, StringComparer.Ordinal)];
            LogCompensationFailed(logger, context.InstanceId, leftovers.Count);
        }

        var result = new ProvisionDockerVmResult
        {
            Succeeded = false,
            ErrorCode = code,
            ErrorMessage = message,
            FailedStep = failedStep,
            CreatedResourceIds = leftovers,
            Secrets = leftovers.Count > 0 ? secrets : null,
        };
        var callback = await NotifyAsync(context, input, runId, DockerHostEventType.Failed, result);
        await RecordOutcomeAsync(context, input, startedAt, code);
        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.Failed));
        return result with { Callback = callback };
    }

    /// <summary>Sends the callback if one was asked for. Never fails the orchestration.</summary>
    private static async Task<CallbackDeliveryResult?> NotifyAsync(
        TaskOrchestrationContext context, DockerVmSpec input, string runId, DockerHostEventType type, ProvisionDockerVmResult result)
    {
        if (input.Callback is null)
        {
            return null;
        }

        context.SetCustomStatus(new WorkflowProgress(ProvisioningStep.SendingCallback));
        var hostEvent = new DockerHostEvent
        {
            Type = type,
            InstanceId = context.InstanceId,
            ExecutionId = runId,
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
        try
        {
            return await context.CallActivityAsync<CallbackDeliveryResult>(nameof(SendCallback), new SendCallbackInput(input.Callback, hostEvent));
        }
        catch (TaskFailedException ex)
        {
            return new CallbackDeliveryResult(false, 0, null, $"The callback activity failed: {ex.FailureDetails?.ErrorType}");
        }
    }

    /// <summary>Counts the outcome (metrics). Never fails the orchestration: a lost measurement is not a failed run.</summary>
    private static async Task RecordOutcomeAsync(TaskOrchestrationContext context, DockerVmSpec input, DateTime startedAt, string? errorCode)
    {
        try
        {
            await context.CallActivityAsync<bool>(
                nameof(RecordProvisioningOutcome),
                new RecordProvisioningOutcomeInput(input.Installer, startedAt, context.CurrentUtcDateTime, errorCode));
        }
        catch (TaskFailedException ex)
        {
            LogOutcomeNotRecorded(context.CreateReplaySafeLogger<ProvisionDockerVm>(), context.InstanceId, ex.FailureDetails?.ErrorType);
        }
    }

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Instance {InstanceId}: outcome metrics not recorded ({ErrorType})")]
    private static partial void LogOutcomeNotRecorded(ILogger logger, string instanceId, string? errorType);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Instance {InstanceId}: step {Step}")]
    private static partial void LogStep(ILogger logger, string instanceId, ProvisioningStep step);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Instance {InstanceId}: Docker host {VmName} ready at {DockerHost}")]
    private static partial void LogSucceeded(ILogger logger, string instanceId, string vmName, string dockerHost);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Instance {InstanceId}: step {Step} failed with {ErrorCode}; compensating")]
    private static partial void LogFailed(ILogger logger, string instanceId, ProvisioningStep step, string errorCode);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Instance {InstanceId}: compensation incomplete, {LeftoverCount} resources remain")]
    private static partial void LogCompensationFailed(ILogger logger, string instanceId, int leftoverCount);
}
