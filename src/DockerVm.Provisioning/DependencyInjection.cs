using DockerVm.Provisioning.Activities.Callbacks;
using DockerVm.Provisioning.Activities.Certificates;
using DockerVm.Provisioning.Activities.Cleanup;
using DockerVm.Provisioning.Activities.Compute;
using DockerVm.Provisioning.Activities.Configuration;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Activities.Network;
using DockerVm.Provisioning.Activities.Operations;
using DockerVm.Provisioning.Activities.Telemetry;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Callbacks;
using DockerVm.Provisioning.Certificates;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Requests;
using DockerVm.Provisioning.Storage;
using DockerVm.Provisioning.Telemetry;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DockerVm.Provisioning;

/// <summary>The one place both hosts wire the workflow from.</summary>
public static class DependencyInjection
{
    /// <summary>
    /// Registers everything the workflow and the application layer need: options (<c>Azure</c>, <c>Provisioning</c>,
    /// <c>Callbacks</c>; bound from configuration and validated on start), the Azure clients (singletons), the
    /// certificate authority, the request validator, the callback sender, <see cref="DockerVmService"/>,
    /// <see cref="QueueRequestHandler"/> and the workflow's <see cref="ProvisioningMetrics"/>. (Durable Task creates orchestrators without DI; they read settings through <see cref="GetWorkflowSettings"/>.)
    /// </summary>
    public static IServiceCollection AddDockerVmProvisioning(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AzureOptions>().BindConfiguration(AzureOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ProvisioningOptions>().BindConfiguration(ProvisioningOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddDockerVmAzureClients();
        services.AddDockerVmCertificates();
        services.AddDockerVmCallbacks();
        services.AddDockerVmStorage();
        services.TryAddSingleton<ProvisionRequestValidator>();
        services.TryAddSingleton<DockerVmService>();
        services.TryAddSingleton<QueueRequestHandler>();
        services.AddMetrics();
        services.TryAddSingleton<ProvisioningMetrics>();
        return services;
    }

    /// <summary>Adds both orchestrators and every activity, under their class names.</summary>
    public static DurableTaskRegistry AddDockerVmWorkflow(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<ProvisionDockerVm>()
            .AddOrchestrator<DeprovisionDockerVm>()
            .AddActivity<GetWorkflowSettings>()
            .AddActivity<CreateNetworkSecurityGroup>()
            .AddActivity<CreatePublicIpAddress>()
            .AddActivity<GetPublicIpAddress>()
            .AddActivity<CreateVirtualNetwork>()
            .AddActivity<CreateNetworkInterface>()
            .AddActivity<IssueDockerCertificates>()
            .AddActivity<StartVirtualMachineCreation>()
            .AddActivity<GetArmOperationStatus>()
            .AddActivity<StartDockerInstallation>()
            .AddActivity<StartDockerVerification>()
            .AddActivity<VerifyDockerEndpoint>()
            .AddActivity<SendCallback>()
            .AddActivity<RecordProvisioningOutcome>()
            .AddActivity<DeleteResource>()
            .AddActivity<DeleteDockerSecrets>();
    }
}
