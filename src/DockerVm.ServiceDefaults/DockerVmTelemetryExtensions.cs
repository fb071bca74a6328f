using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using DockerVm.Provisioning.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DockerVm.ServiceDefaults;

/// <summary>
/// OpenTelemetry for both hosts: traces (incoming HTTP, outgoing HTTP, Durable Task, Azure SDK), metrics (the
/// workflow's meter, ASP.NET Core, HttpClient) and logs. Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set, to Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set; otherwise nowhere.
/// </summary>
public static class DockerVmTelemetryExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ApplicationInsightsConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>Activity sources traced besides ASP.NET Core and HttpClient.</summary>
    public static IReadOnlyList<string> TraceSources { get; } =
    [
        "Microsoft.DurableTask", // Durable Task SDK: orchestration and activity spans (worker and client).
        "DurableTask.Core", // The local host's in-process orchestration service.
        "Azure.*", // Azure SDK clients (ARM, Key Vault, Storage).
    ];

    /// <summary>Meters exported besides the ASP.NET Core and HttpClient ones.</summary>
    public static IReadOnlyList<string> Meters { get; } =
    [
        ProvisioningMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
    ];

    /// <summary>Registers OpenTelemetry with <paramref name="serviceName"/> as <c>service.name</c>; returns the
    /// builder so a host can add its own defaults (the Functions worker's, for instance).</summary>
    public static IOpenTelemetryBuilder AddDockerVmTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.AddDockerVmTelemetry(builder.Configuration, serviceName);
    }

    /// <inheritdoc cref="AddDockerVmTelemetry(IHostApplicationBuilder, string)"/>
    public static IOpenTelemetryBuilder AddDockerVmTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);

        // The Azure SDK emits its spans only with this switch on (as the Azure Monitor distro does).
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource([.. TraceSources])
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(options =>
                {
                    // Callback URLs may carry tokens in their query or user info: record neither, whatever the
                    // environment says. Headers and bodies are never recorded by this instrumentation.
                    options.EnrichWithHttpRequestMessage = (activity, request) =>
                    {
                        if (request.RequestUri is { IsAbsoluteUri: true } uri)
                        {
                            activity.SetTag("url.full", RedactUrl(uri));
                        }
                    };
                    options.RecordException = false;
                }))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]))
            .WithLogging(configureBuilder: null, configureOptions: options => options.IncludeFormattedMessage = true);

        if (!string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]))
        {
            // Reads the standard OTEL_EXPORTER_OTLP_* settings (endpoint, protocol, headers).
            telemetry.UseOtlpExporter();
        }

        if (!string.IsNullOrWhiteSpace(configuration[ApplicationInsightsConnectionStringKey]))
        {
            // Application Insights has local authentication off: export with the app's managed identity.
            var clientId = configuration["Azure:ManagedIdentityClientId"];
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = configuration[ApplicationInsightsConnectionStringKey];
                options.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
                {
                    ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
                });
            });
        }

        return telemetry;
    }

    /// <summary>Scheme, host, port and path only: no user info, no query, no fragment.</summary>
    internal static string RedactUrl(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}
