using System.Net;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Emulator.Tests.Conformance;

/// <summary>
/// The polling the SDK does for the workflow's long-running operations, with durations so the in-progress answers are
/// seen (time steps on a <see cref="FakeTimeProvider"/>). Sources: network.json 2024-05-01 AzureAsyncOperationResult
/// (status InProgress/Succeeded/Failed, error) and the Network PUTs' final-state-via azure-async-operation, DELETEs'
/// final-state-via location; specification/common-types/resource-management/v5/types.json OperationStatusResult
/// (status required; startTime, endTime, error); the DELETE examples' 202 with Location (NetworkSecurityGroupDelete.json,
/// VirtualMachine_Delete_Force.json).
/// </summary>
public sealed class LongRunningOperationConformanceTests
{
    // virtualMachine.json VirtualMachines_CreateOrUpdate (x-ms-long-running-operation), the ssh example's body.
    [Fact]
    public async Task VirtualMachineCreateWithSshAuthentication_AsyncOperation_InProgressThenSucceededWithTimes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time, Durations = new LroDurations { VirtualMachine = TimeSpan.FromSeconds(30) } });
        using var arm = SpecClient.Arm(emulator);
        var group = await arm.GroupAsync("rg-spec-lro-vm");
        var path = $"{group}/providers/Microsoft.Compute/virtualMachines/myVM";
        using var put = await arm.SendAsync(HttpMethod.Put, path, SpecClient.ComputeApiVersion, VirtualMachineConformanceTests.VmRequest(await arm.NicAsync(group, "lro")).ToJsonString());
        var url = put.Headers.GetValues("Azure-AsyncOperation").Single();

        var running = await arm.PollAsyncOperationOnceAsync(url);
        var (_, during, _) = await arm.SendJsonAsync(HttpMethod.Get, path, SpecClient.ComputeApiVersion);
        time.Advance(TimeSpan.FromSeconds(31));
        var done = await arm.PollAsyncOperationOnceAsync(url);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("InProgress", (string?)running.Body["status"]);
        Assert.NotNull(running.RetryAfter);
        Assert.NotNull((string?)running.Body["startTime"]);
        Assert.Equal("Creating", (string?)during["properties"]?["provisioningState"]);
        Assert.Equal("Succeeded", (string?)done.Body["status"]);
        Assert.NotNull((string?)done.Body["endTime"]);
    }

    // networkSecurityGroup.json NetworkSecurityGroups_Delete: final-state-via location; 202 while running, then done.
    [Fact]
    public async Task NetworkSecurityGroupDelete_Location_AcceptedWhileRunningThenDone()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time, Durations = new LroDurations { Delete = TimeSpan.FromSeconds(10) } });
        using var arm = SpecClient.Arm(emulator);
        var group = await arm.GroupAsync("rg-spec-lro-delete");
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";
        (await arm.SendAsync(HttpMethod.Put, path, SpecClient.NetworkApiVersion, """{"location":"eastus"}""")).Dispose();

        using var delete = await arm.SendAsync(HttpMethod.Delete, path, SpecClient.NetworkApiVersion);
        var location = delete.Headers.Location!.ToString();
        var (whileRunning, runningHeaders) = await arm.GetUrlAsync(location);
        var (stateWhileRunning, resource, _) = await arm.SendJsonAsync(HttpMethod.Get, path, SpecClient.NetworkApiVersion);
        time.Advance(TimeSpan.FromSeconds(11));
        var final = await arm.PollLocationAsync(location);

        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, whileRunning);
        Assert.NotNull(runningHeaders.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, stateWhileRunning);
        Assert.Equal("Deleting", (string?)resource["properties"]?["provisioningState"]);
        Assert.Contains(final, new[] { HttpStatusCode.OK, HttpStatusCode.NoContent });
    }

    // network.json AzureAsyncOperationResult: a failed operation says Failed and carries error.code/message.
    [Fact]
    public async Task NetworkSecurityGroupCreate_FailedOperation_StatusFailedWithError()
    {
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions());
        using var arm = SpecClient.Arm(emulator);
        var group = await arm.GroupAsync("rg-spec-lro-failed");
        emulator.Control.InjectFault(new FaultRule { PathPattern = "*/networkSecurityGroups/testnsg", Method = "PUT", Kind = FaultKind.OperationFailed, ErrorCode = "InternalServerError" });
        var path = $"{group}/providers/Microsoft.Network/networkSecurityGroups/testnsg";

        using var put = await arm.SendAsync(HttpMethod.Put, path, SpecClient.NetworkApiVersion, """{"location":"eastus"}""");
        var status = await arm.PollAsyncOperationAsync(put.Headers.GetValues("Azure-AsyncOperation").Single());

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Failed", (string?)status["status"]);
        Assert.Equal("InternalServerError", (string?)status["error"]?["code"]);
        Assert.NotNull((string?)status["error"]?["message"]);
    }
}
