namespace DockerVm.Api;

/// <summary>Operation ids: endpoint names in the local host, function names in the Functions app, <c>operationId</c> in OpenAPI.</summary>
public static class OperationIds
{
    public const string Submit = "SubmitDockerVm";
    public const string List = "ListDockerVms";
    public const string Get = "GetDockerVm";
    public const string Deprovision = "DeleteDockerVm";
    public const string ReceiveWebhook = "ReceiveDockerVmWebhook";
    public const string GetOpenApiDocument = "GetOpenApiDocument";
}
