using System.Net;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Faults;
using DockerVm.EndToEnd.Tests.Infrastructure;
using DockerVm.Testing;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class FaultToleranceTests(LocalStackFixture stack)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ArmThrottlingAndServerErrors_Transient_ProvisioningStillSucceeds()
    {
        string name = stack.NewVmName("flaky");
        stack.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/virtualMachines/{name}", Method = "PUT", Kind = FaultKind.TooManyRequests, Count = 2 });
        stack.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/networkSecurityGroups/{name}*", Method = "PUT", Kind = FaultKind.InternalServerError, Count = 2 });
        stack.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/virtualMachines/{name}", Method = "GET", Kind = FaultKind.InternalServerError, Count = 2 });

        var (status, id, _, body) = await stack.SubmitAsync(stack.NewRequest(name, withCallback: false));

        Assert.True(status == HttpStatusCode.Accepted, body);
        JsonObject done = await stack.WaitForStateAsync(id!, Timeout, "succeeded", "failed");
        Assert.True(done["state"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        Assert.Contains(stack.Emulator.Control.RequestLog, r => r.Status == 429 && r.Path.EndsWith($"/virtualMachines/{name}", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(stack.Emulator.Control.RequestLog, r => r.Status == 500 && r.Path.Contains($"/networkSecurityGroups/{name}", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ExtensionInstallFails_CompensatesAndFailureCallbackCarriesArmCode()
    {
        string name = stack.NewVmName("fail");
        stack.Emulator.Control.InjectFault(new FaultRule
        {
            PathPattern = $"*/virtualMachines/{name}/extensions/*",
            Method = "PUT",
            Kind = FaultKind.OperationFailed,
            ErrorCode = "VMExtensionProvisioningError",
            Count = 10,
        });

        var (_, id, _, body) = await stack.SubmitAsync(stack.NewRequest(name));

        Assert.True(id is not null, body);
        JsonObject done = await stack.WaitForStateAsync(id, Timeout, "succeeded", "failed");
        Assert.True(done["state"]!.GetValue<string>() == "failed", done.ToJsonString());
        Assert.Equal("VMExtensionProvisioningError", done["error"]!["code"]!.GetValue<string>());
        Assert.Empty(stack.ResourcesOf(name));
        Assert.Empty(stack.SecretsOf(name));
        var failed = Assert.Single(await stack.WaitForCallbacksAsync(id, ".failed"));
        Assert.True(failed.Verified, failed.Error);
        Assert.Equal("VMExtensionProvisioningError", failed.Body!["data"]!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain(stack.CallbacksFor(id), c => c.Type!.EndsWith(".provisioned", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallbackReceiverDown_ProvisioningCompletesAndStatusRecordsFailedDelivery()
    {
        string name = stack.NewVmName("nocb");
        JsonObject request = stack.NewRequest(name);
        int closedPort = AzuriteServer.FreePorts(1)[0];
        request["callback"]!["url"] = $"http://127.0.0.1:{closedPort}/callbacks";

        var (status, id, _, body) = await stack.SubmitAsync(request);

        Assert.True(status == HttpStatusCode.Accepted, body);
        JsonObject done = await stack.WaitForStateAsync(id!, Timeout, "succeeded", "failed");
        Assert.True(done["state"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        JsonNode callback = done["callback"]!;
        Assert.False(callback["delivered"]!.GetValue<bool>());
        Assert.Equal(3, callback["attempts"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(callback["error"]?.GetValue<string>()));
    }
}
