using DockerVm.Api;
using DockerVm.Api.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DockerVm.Functions.Http;

/// <summary>
/// HTTP triggers of the API: one per route, each handing the request to the shared <see cref="DockerVmHttpHandlers"/>.
/// Function keys guard every route; starts answer with our own status resource, never the built-in Durable
/// management URLs (whose system key authorizes every Durable API).
/// </summary>
public sealed class DockerVmHttpFunctions(DockerVmHttpHandlers handlers)
{
    [Function(OperationIds.Submit)]
    public Task<IResult> SubmitAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = DockerVmRoutes.CollectionRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        handlers.SubmitAsync(request, client, cancellationToken);

    [Function(OperationIds.List)]
    public Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DockerVmRoutes.CollectionRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        handlers.ListAsync(request, client, cancellationToken);

    [Function(OperationIds.Get)]
    public Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DockerVmRoutes.ItemRoute)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        handlers.GetAsync(request, id, client, cancellationToken);

    [Function(OperationIds.Deprovision)]
    public Task<IResult> DeleteAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = DockerVmRoutes.ItemRoute)] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        handlers.DeprovisionAsync(request, id, client, cancellationToken);

    [Function(OperationIds.ReceiveWebhook)]
    public Task<IResult> ReceiveWebhookAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = DockerVmRoutes.WebhookRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        handlers.ReceiveWebhookAsync(request, client, cancellationToken);

    [Function(OperationIds.GetOpenApiDocument)]
    public static IResult GetOpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = DockerVmRoutes.OpenApiRoute)] HttpRequest request) =>
        DockerVmHttpHandlers.GetOpenApiDocument();
}
