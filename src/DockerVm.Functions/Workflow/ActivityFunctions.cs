using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Configuration;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Activities.Telemetry;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Contracts;
using Microsoft.Azure.Functions.Worker;

namespace DockerVm.Functions.Workflow;

/// <summary>Activity functions: each named after, and delegating to, the workflow library's activity class.</summary>
public static class ActivityFunctions
{
    [Function(nameof(CreateNetworkInterface))]
    public static Task<CreateNetworkInterfaceOutput> RunCreateNetworkInterface([ActivityTrigger] CreateNetworkInterfaceInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<CreateNetworkInterface, CreateNetworkInterfaceInput, CreateNetworkInterfaceOutput>(input, context);

    [Function(nameof(CreateNetworkSecurityGroup))]
    public static Task<CreateNetworkSecurityGroupOutput> RunCreateNetworkSecurityGroup([ActivityTrigger] CreateNetworkSecurityGroupInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<CreateNetworkSecurityGroup, CreateNetworkSecurityGroupInput, CreateNetworkSecurityGroupOutput>(input, context);

    [Function(nameof(CreatePublicIpAddress))]
    public static Task<CreatePublicIpAddressOutput> RunCreatePublicIpAddress([ActivityTrigger] CreatePublicIpAddressInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<CreatePublicIpAddress, CreatePublicIpAddressInput, CreatePublicIpAddressOutput>(input, context);

    [Function(nameof(CreateVirtualNetwork))]
    public static Task<CreateVirtualNetworkOutput> RunCreateVirtualNetwork([ActivityTrigger] CreateVirtualNetworkInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<CreateVirtualNetwork, CreateVirtualNetworkInput, CreateVirtualNetworkOutput>(input, context);

    [Function(nameof(DeleteDockerSecrets))]
    public static Task<DeleteDockerSecretsOutput> RunDeleteDockerSecrets([ActivityTrigger] DeleteDockerSecretsInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<DeleteDockerSecrets, DeleteDockerSecretsInput, DeleteDockerSecretsOutput>(input, context);

    [Function(nameof(DeleteResource))]
    public static Task<DeleteResourceOutput> RunDeleteResource([ActivityTrigger] DeleteResourceInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<DeleteResource, DeleteResourceInput, DeleteResourceOutput>(input, context);

    [Function(nameof(GetArmOperationStatus))]
    public static Task<ArmOperationState> RunGetArmOperationStatus([ActivityTrigger] ArmOperationHandle input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<GetArmOperationStatus, ArmOperationHandle, ArmOperationState>(input, context);

    [Function(nameof(GetPublicIpAddress))]
    public static Task<GetPublicIpAddressOutput> RunGetPublicIpAddress([ActivityTrigger] GetPublicIpAddressInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<GetPublicIpAddress, GetPublicIpAddressInput, GetPublicIpAddressOutput>(input, context);

    [Function(nameof(GetWorkflowSettings))]
    public static Task<WorkflowSettings> RunGetWorkflowSettings([ActivityTrigger] string? input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<GetWorkflowSettings, string?, WorkflowSettings>(input, context);

    [Function(nameof(IssueDockerCertificates))]
    public static Task<DockerSecretIdentifiers> RunIssueDockerCertificates([ActivityTrigger] IssueDockerCertificatesInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<IssueDockerCertificates, IssueDockerCertificatesInput, DockerSecretIdentifiers>(input, context);

    [Function(nameof(RecordProvisioningOutcome))]
    public static Task<bool> RunRecordProvisioningOutcome([ActivityTrigger] RecordProvisioningOutcomeInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<RecordProvisioningOutcome, RecordProvisioningOutcomeInput, bool>(input, context);

    [Function(nameof(SendCallback))]
    public static Task<CallbackAttemptResult> RunSendCallback([ActivityTrigger] SendCallbackInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<SendCallback, SendCallbackInput, CallbackAttemptResult>(input, context);

    [Function(nameof(StartDockerInstallation))]
    public static Task<StartDockerInstallationOutput> RunStartDockerInstallation([ActivityTrigger] StartDockerInstallationInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<StartDockerInstallation, StartDockerInstallationInput, StartDockerInstallationOutput>(input, context);

    [Function(nameof(StartDockerVerification))]
    public static Task<StartDockerInstallationOutput> RunStartDockerVerification([ActivityTrigger] StartDockerVerificationInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<StartDockerVerification, StartDockerVerificationInput, StartDockerInstallationOutput>(input, context);

    [Function(nameof(StartVirtualMachineCreation))]
    public static Task<StartVirtualMachineCreationOutput> RunStartVirtualMachineCreation([ActivityTrigger] StartVirtualMachineCreationInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<StartVirtualMachineCreation, StartVirtualMachineCreationInput, StartVirtualMachineCreationOutput>(input, context);

    [Function(nameof(VerifyDockerEndpoint))]
    public static Task<VerifyDockerEndpointOutput> RunVerifyDockerEndpoint([ActivityTrigger] VerifyDockerEndpointInput input, FunctionContext context) =>
        DurableFunctionAdapter.RunActivityAsync<VerifyDockerEndpoint, VerifyDockerEndpointInput, VerifyDockerEndpointOutput>(input, context);
}
