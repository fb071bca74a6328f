using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DockerVm.Provisioning.Tests.Application;

public sealed class QueueRequestHandlerTests
{
    private static FakeAzure NewFake() => FakeAzure.WithRealCertificateAuthority();

    [Fact]
    public async Task Handle_ValidMessage_SchedulesAndAcceptsOnce()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());
        var handler = host.Services.GetRequiredService<QueueRequestHandler>();
        var message = $$"""
            {"name":"queued1","resourceGroup":"rg-docker","location":"westeurope","vmSize":"Standard_B2s",
             "adminUsername":"azureuser","sshPublicKey":"{{TestSpecs.SshKey}}","allowedSourceCidrs":["203.0.113.0/24"],
             "installer":"dockerExtension","idempotencyKey":"order-42"}
            """;

        var first = Assert.IsType<SubmitAccepted>(await handler.HandleAsync(host.Client, message, CancellationToken.None));
        var again = Assert.IsType<SubmitAccepted>(await handler.HandleAsync(host.Client, message, CancellationToken.None));

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.InstanceId, again.InstanceId);
        await host.WaitAsync(first.InstanceId);
    }

    [Theory]
    [InlineData("""{"name":"x","dockerPort":"not-a-number"}""", "dockerPort")]
    [InlineData("""{"name":"x","allowedSourceCidrs":[1,2]}""", "allowedSourceCidrs[0]")]
    [InlineData("""{"name": """, "name")]
    [InlineData("not json", "$")]
    public async Task Handle_MalformedJson_RejectsWithJsonPath(string message, string expectedField)
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());
        var handler = host.Services.GetRequiredService<QueueRequestHandler>();

        var rejected = Assert.IsType<SubmitRejected>(await handler.HandleAsync(host.Client, message, CancellationToken.None));

        Assert.Equal(SubmitRejected.MalformedJson, rejected.Reason);
        Assert.Equal(expectedField, rejected.Errors[0].Field);
        Assert.All(rejected.Errors, e => Assert.Equal("json-syntax", e.Rule));
    }

    private static string ValidMessage(string name, string extra = "") => $$"""
        {"name":"{{name}}","resourceGroup":"rg-docker","location":"westeurope","vmSize":"Standard_B2s",
         "adminUsername":"azureuser","sshPublicKey":"{{TestSpecs.SshKey}}","allowedSourceCidrs":["203.0.113.0/24"]{{extra}}}
        """;

    [Theory]
    [InlineData(",\"bogus\":1", "bogus", "unknown-field")]
    [InlineData(",\"Name\":\"queued2\"", "Name", "unknown-field")]
    [InlineData(",\"allowedSourceCidr\":[\"203.0.113.0/24\"]", "allowedSourceCidr", "unknown-field")]
    [InlineData(",\"dockerPort\":\"2377\"", "dockerPort", "json-syntax")]
    [InlineData(",\"name\":\"queued3\"", "name", "duplicate-field")]
    public async Task Handle_MessageOutsideTheContract_RejectedLikeHttpAndNothingScheduled(string extra, string field, string rule)
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());
        var handler = host.Services.GetRequiredService<QueueRequestHandler>();

        var rejected = Assert.IsType<SubmitRejected>(await handler.HandleAsync(host.Client, ValidMessage("queued2", extra), CancellationToken.None));

        Assert.Equal(SubmitRejected.MalformedJson, rejected.Reason);
        var error = Assert.Single(rejected.Errors);
        Assert.Equal((field, rule), (error.Field, error.Rule));
        var instances = 0;
        await foreach (var _ in host.Client.GetAllInstancesAsync())
        {
            instances++;
        }

        Assert.Equal(0, instances);
    }

    [Fact]
    public async Task Handle_InvalidRequest_RejectsWithValidationErrors()
    {
        await using var host = await WorkflowTestHost.StartAsync(NewFake());
        var handler = host.Services.GetRequiredService<QueueRequestHandler>();

        var rejected = Assert.IsType<SubmitRejected>(await handler.HandleAsync(host.Client, """{"name":"UPPER"}""", CancellationToken.None));

        Assert.Equal(SubmitRejected.ValidationFailed, rejected.Reason);
        Assert.Contains(rejected.Errors, e => e.Field == "resourceGroup");
    }
}
