using DockerVm.Functions.Workflow;
using DockerVm.Testing;
using Microsoft.Azure.Functions.Worker;

namespace DockerVm.Functions.Tests.Workflow;

public sealed class ActivityFunctionsTests
{
    [Fact]
    public async Task ActivityFunction_RunsTheWorkflowActivityWithTheAppsServices()
    {
        await using var api = ApiTestContext.Create(s =>
        {
            s["Provisioning:PollInterval"] = "00:00:03";
            s["Provisioning:VmReadyTimeout"] = "00:07:00";
        });

        var settings = await ActivityFunctions.RunGetWorkflowSettings(null, new FakeFunctionContext(api.Services, "dockervm-k-1"));

        Assert.Equal(TimeSpan.FromSeconds(3), settings.PollInterval);
        Assert.Equal(TimeSpan.FromMinutes(7), settings.VmReadyTimeout);
    }

    private sealed class FakeFunctionContext(IServiceProvider services, string instanceId) : FunctionContext
    {
        public override string InvocationId => "invocation-1";

        public override string FunctionId => "function-1";

        public override TraceContext TraceContext => throw new NotSupportedException();

        public override BindingContext BindingContext { get; } = new FakeBindingContext(instanceId);

        public override RetryContext RetryContext => throw new NotSupportedException();

        public override IServiceProvider InstanceServices { get; set; } = services;

        public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

        public override IInvocationFeatures Features => throw new NotSupportedException();
    }

    private sealed class FakeBindingContext(string instanceId) : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = new Dictionary<string, object?> { ["instanceId"] = instanceId };
    }
}
