using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace DockerVm.ServiceDefaults;

/// <summary>
/// Hosting setup both hosts (the Functions app and the local host) share, in the spirit of .NET Aspire's
/// ServiceDefaults: OpenTelemetry and ProblemDetails. What the API maps to which problem stays in the API.
/// </summary>
public static class DockerVmServiceDefaultsExtensions
{
    /// <summary>OpenTelemetry (<see cref="DockerVmTelemetryExtensions.AddDockerVmTelemetry(IHostApplicationBuilder, string)"/>)
    /// and <see cref="AddDockerVmProblemDetails"/>; returns the OpenTelemetry builder so a host can add its own defaults.</summary>
    public static IOpenTelemetryBuilder AddDockerVmServiceDefaults(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDockerVmProblemDetails();
        return builder.AddDockerVmTelemetry(serviceName);
    }

    /// <summary>The problem-details service, so that results and the framework's own errors are written as RFC 9457 problems.</summary>
    public static IServiceCollection AddDockerVmProblemDetails(this IServiceCollection services) => services.AddProblemDetails();
}
