using System.Reflection;
using System.Text.Json;
using DockerVm.Api;
using DockerVm.Api.OpenApi;
using DockerVm.Functions.Queues;
using DockerVm.Provisioning.Orchestrations;
using Microsoft.DurableTask;

namespace DockerVm.Functions.Tests;

/// <summary>
/// Reads the build's <c>functions.metadata</c> (what the Functions host indexes) and checks it against the intended
/// triggers, the workflow classes and the OpenAPI document.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Functions = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}; build the Functions app.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone(), StringComparer.Ordinal);
    });

    private static JsonElement Trigger(string function) =>
        Functions.Value[function].GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "In"
            && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static string TriggerType(string function) => Trigger(function).GetProperty("type").GetString()!;

    private static Type[] WorkflowTypes<TInterface>() => typeof(ProvisionDockerVm).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(TInterface).IsAssignableFrom(t))
        .ToArray();

    [Theory]
    [InlineData(OperationIds.Submit, "post", "docker-vms")]
    [InlineData(OperationIds.List, "get", "docker-vms")]
    [InlineData(OperationIds.Get, "get", "docker-vms/{id}")]
    [InlineData(OperationIds.Deprovision, "delete", "docker-vms/{id}")]
    [InlineData(OperationIds.ReceiveWebhook, "post", "webhooks/docker-vms")]
    [InlineData(OperationIds.GetOpenApiDocument, "get", "openapi.json")]
    public void HttpFunction_HasRouteMethodAndFunctionKey(string function, string method, string route)
    {
        var trigger = Trigger(function);

        Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("Function", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void QueueFunction_TriggersOnRequestQueueSettingAndWritesToItsPoisonQueue()
    {
        var bindings = Functions.Value[ProvisionRequestQueueFunction.FunctionName].GetProperty("bindings").EnumerateArray().ToList();

        Assert.Equal("queueTrigger", TriggerType(ProvisionRequestQueueFunction.FunctionName));
        Assert.Equal("%Provisioning:RequestQueueName%", Trigger(ProvisionRequestQueueFunction.FunctionName).GetProperty("queueName").GetString());
        var output = Assert.Single(bindings, b => b.GetProperty("type").GetString() == "queue");
        Assert.Equal("Out", output.GetProperty("direction").GetString());
        Assert.Equal("%Provisioning:RequestQueueName%-poison", output.GetProperty("queueName").GetString());
        Assert.Contains(bindings, b => b.GetProperty("type").GetString() == "durableClient");
    }

    [Fact]
    public void EveryOrchestratorClass_HasAnOrchestrationFunctionOfTheSameName()
    {
        var orchestrators = WorkflowTypes<ITaskOrchestrator>();

        Assert.Contains(typeof(ProvisionDockerVm), orchestrators);
        Assert.All(orchestrators, t => Assert.Equal("orchestrationTrigger", Functions.Value.ContainsKey(t.Name) ? TriggerType(t.Name) : $"no function {t.Name}"));
    }

    [Fact]
    public void EveryActivityClass_HasAnActivityFunctionOfTheSameName()
    {
        var activities = WorkflowTypes<ITaskActivity>();

        Assert.All(activities, t => Assert.Equal("activityTrigger", Functions.Value.ContainsKey(t.Name) ? TriggerType(t.Name) : $"no function {t.Name}"));
    }

    [Fact]
    public void EveryDurableFunction_RunsAWorkflowClassOfTheSameName()
    {
        var classes = WorkflowTypes<ITaskOrchestrator>().Concat(WorkflowTypes<ITaskActivity>()).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var durable = Functions.Value.Keys.Where(f => TriggerType(f) is "orchestrationTrigger" or "activityTrigger");

        Assert.All(durable, f => Assert.Contains(f, classes));
    }

    [Fact]
    public void HttpFunctions_MatchTheOpenApiDocumentOperationForOperation()
    {
        var http = Functions.Value.Keys
            .Where(f => TriggerType(f) == "httpTrigger")
            .SelectMany(f => Trigger(f).GetProperty("methods").EnumerateArray()
                .Select(m => ($"{m.GetString()!.ToUpperInvariant()} /api/{Trigger(f).GetProperty("route").GetString()}", f)))
            .Order();

        using var document = JsonDocument.Parse(DockerVmOpenApi.Json);
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name != "parameters")
                .Select(o => ($"{o.Name.ToUpperInvariant()} {p.Name}", o.Value.GetProperty("operationId").GetString()!)))
            .Order();

        Assert.Equal(documented, http);
    }

    [Fact]
    public void FunctionNames_AreUnique_AndNoneCollidesWithAWorkflowClass()
    {
        var httpAndQueue = typeof(DockerVm.Functions.Http.DockerVmHttpFunctions).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<Microsoft.Azure.Functions.Worker.FunctionAttribute>()?.Name)
            .OfType<string>()
            .ToList();

        Assert.Equal(httpAndQueue.Count, httpAndQueue.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(httpAndQueue.Count, Functions.Value.Count);
    }
}
