using DockerVm.Api;
using DockerVm.LocalHost.DurableTask;
using DockerVm.LocalHost.Queues;
using DockerVm.Provisioning;
using DockerVm.ServiceDefaults;

namespace DockerVm.LocalHost;

public static class LocalHostExtensions
{
    /// <summary>The port <c>func start</c> uses, so URLs are the same whichever host serves them.</summary>
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>
    /// Everything the local host runs: the shared API and application layer, the workflow on a durable local
    /// Durable Task runtime (Azure Storage on Azurite), the request queue listener and the service defaults
    /// (ProblemDetails; OpenTelemetry, exported only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set). Loopback only.
    /// </summary>
    public static WebApplicationBuilder AddDockerVmLocalHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddDockerVmApi();
        builder.AddDockerVmServiceDefaults("DockerVm.LocalHost");
        builder.Services.AddLocalDurableTask(tasks => tasks.AddDockerVmWorkflow());
        builder.Services.AddRequestQueueListener();
        return builder;
    }

    /// <summary>The request queue with queue-trigger semantics; queue names come from <c>Provisioning:RequestQueueName</c>.</summary>
    private static IServiceCollection AddRequestQueueListener(this IServiceCollection services)
    {
        services.AddOptions<RequestQueueListenerOptions>().BindConfiguration(RequestQueueListenerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RequestQueues>();
        services.AddHostedService<RequestQueueListener>();
        return services;
    }
}
