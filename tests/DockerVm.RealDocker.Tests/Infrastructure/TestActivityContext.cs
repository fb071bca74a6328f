using Microsoft.DurableTask;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>The context a real activity runs with, outside a Durable Task worker.</summary>
internal sealed class TestActivityContext(string instanceId) : TaskActivityContext
{
    public override TaskName Name => "test";

    public override string InstanceId => instanceId;
}
