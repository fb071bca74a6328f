using System.Net;
using DockerVm.Emulator.Faults;
using DockerVm.EndToEnd.Tests.Infrastructure;
using DockerVm.Testing;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class FaultToleranceTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ArmThrottlingAndServerErrors_Transient_ProvisioningStillSucceeds()
    {
        var name = Stack.NewVmName("flaky");
        Stack.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/virtualMachines/{name}", Method = "PUT", Kind = FaultKind.TooManyRequests, Count = 2 });
        Stack.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/networkSecurityGroups/{name}*", Method = "PUT", Kind = FaultKind.InternalServerError, Count = 2 });
        Stack.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/virtualMachines/{name}", Method = "GET", Kind = FaultKind.InternalServerError, Count = 2 });

        var (status, id, _, body) = await Stack.SubmitAsync(Stack.NewRequest(name, withCallback: false));

        Assert.True(status == HttpStatusCode.Accepted, body);
        var done = await Stack.WaitForStateAsync(id!, Timeout, "succeeded", "failed");
        Assert.True(done["state"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        Assert.Contains(Stack.Emulator.Control.RequestLog, r => r.Status == 429 && r.Path.EndsWith($"/virtualMachines/{name}", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(Stack.Emulator.Control.RequestLog, r => r.Status == 500 && r.Path.Contains($"/networkSecurityGroups/{name}", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ExtensionInstallFails_CompensatesAndFailureCallbackCarriesArmCode()
    {
        var name = Stack.NewVmName("fail");
        Stack.Emulator.Control.InjectFault(new FaultRule
        {
            PathPattern = $"*/virtualMachines/{name}/extensions/*",
            Method = "PUT",
            Kind = FaultKind.OperationFailed,
            ErrorCode = "VMExtensionProvisioningError",
            Count = 10,
        });

        var (_, id, _, body) = await Stack.SubmitAsync(Stack.NewRequest(name));

        Assert.True(id is not null, body);
        var done = await Stack.WaitForStateAsync(id, Timeout, "succeeded", "failed");
        Assert.True(done["state"]!.GetValue<string>() == "failed", done.ToJsonString());
        Assert.Equal("VMExtensionProvisioningError", done["error"]!["code"]!.GetValue<string>());
        Assert.Empty(Stack.ResourcesOf(name));
        Assert.Empty(Stack.SecretsOf(name));
        var failed = Assert.Single(await Stack.WaitForCallbacksAsync(id, ".failed"));
        Assert.True(failed.Verified, failed.Error);
        Assert.Equal("VMExtensionProvisioningError", failed.Body!["data"]!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(Stack.CallbacksFor(id), c => c.Type!.EndsWith(".provisioned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallbackReceiverDown_ProvisioningCompletesAndStatusRecordsFailedDelivery()
    {
        var name = Stack.NewVmName("nocb");
        var request = Stack.NewRequest(name);
        var closedPort = AzuriteServer.FreePorts(1)[0];
        request["callback"]!["url"] = $"http://127.0.0.1:{closedPort}/callbacks";

        var (status, id, _, body) = await Stack.SubmitAsync(request);

        Assert.True(status == HttpStatusCode.Accepted, body);
        var done = await Stack.WaitForStateAsync(id!, Timeout, "succeeded", "failed");
        Assert.True(done["state"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        var callback = done["callback"]!;
        Assert.False(callback["delivered"]!.GetValue<bool>());
        Assert.Equal(3, callback["attempts"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(callback["error"]?.GetValue<string>()));
    }
}
