using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.Functions.Workflow;

/// <summary>
/// Runs the workflow library's class-based orchestrators and activities from function triggers, as the (unavailable)
/// Microsoft.DurableTask.Generators would: the class is created through DI, and the function name equals the class name.
/// </summary>
internal static class DurableFunctionAdapter
{
    /// <summary>Orchestrators take no services (they must stay deterministic), so each replay gets a plain new instance.</summary>
    public static Task<TOutput> RunOrchestratorAsync<TOrchestrator, TInput, TOutput>(TaskOrchestrationContext context)
        where TOrchestrator : TaskOrchestrator<TInput, TOutput>, new()
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TOrchestrator().RunAsync(context, context.GetInput<TInput>()!);
    }

    public static Task<TOutput> RunActivityAsync<TActivity, TInput, TOutput>(
        TInput input, FunctionContext functionContext)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(functionContext);
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(functionContext.InstanceServices);
        var instanceId = functionContext.BindingContext.BindingData
            .FirstOrDefault(d => string.Equals(d.Key, "instanceId", StringComparison.OrdinalIgnoreCase)).Value?.ToString();
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, instanceId ?? string.Empty), input);
    }

    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
