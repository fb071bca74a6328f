using DockerVm.Api.Http;
using DockerVm.Api.Webhooks;
using DockerVm.Provisioning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DockerVm.Api;

/// <summary>Registration and route mapping of the HTTP API, shared by the Functions app and the local host.</summary>
public static class DockerVmApiExtensions
{
    /// <summary>
    /// Everything both hosts need: the workflow (<c>AddDockerVmProvisioning</c>), the HTTP handlers, JSON settings and
    /// the inbound webhook verifier with its replay store. The Durable Task client, ProblemDetails and OpenTelemetry are
    /// the host's (<c>AddDockerVmServiceDefaults</c>).
    /// </summary>
    public static IServiceCollection AddDockerVmApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddDockerVmProvisioning();
        services.ConfigureHttpJsonOptions(o => ApiJson.ConfigureResponses(o.SerializerOptions));
        services.TryAddSingleton(TimeProvider.System);
        services.AddDockerVmWebhooks();
        services.TryAddSingleton<DockerVmHttpHandlers>();
        return services;
    }

    /// <summary>Maps the HTTP API under <c>/api</c> (the local host; the Functions app has a trigger per route instead).</summary>
    public static IEndpointRouteBuilder MapDockerVmApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        endpoints.MapPost(DockerVmRoutes.Collection, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] DockerVmHttpHandlers handlers, CancellationToken ct) =>
            handlers.SubmitAsync(request, client, ct)).WithName(OperationIds.Submit);
        endpoints.MapGet(DockerVmRoutes.Collection, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] DockerVmHttpHandlers handlers, CancellationToken ct) =>
            handlers.ListAsync(request, client, ct)).WithName(OperationIds.List);
        endpoints.MapGet(DockerVmRoutes.Item, (HttpRequest request, string id, [FromServices] DurableTaskClient client, [FromServices] DockerVmHttpHandlers handlers, CancellationToken ct) =>
            handlers.GetAsync(request, id, client, ct)).WithName(OperationIds.Get);
        endpoints.MapDelete(DockerVmRoutes.Item, (HttpRequest request, string id, [FromServices] DurableTaskClient client, [FromServices] DockerVmHttpHandlers handlers, CancellationToken ct) =>
            handlers.DeprovisionAsync(request, id, client, ct)).WithName(OperationIds.Deprovision);
        endpoints.MapPost(DockerVmRoutes.Webhook, (HttpRequest request, [FromServices] DurableTaskClient client, [FromServices] DockerVmHttpHandlers handlers, CancellationToken ct) =>
            handlers.ReceiveWebhookAsync(request, client, ct)).WithName(OperationIds.ReceiveWebhook);
        endpoints.MapGet(DockerVmRoutes.OpenApiDocument, DockerVmHttpHandlers.GetOpenApiDocument).WithName(OperationIds.GetOpenApiDocument);
        return endpoints;
    }
}
