using System.Diagnostics;
using System.Net.Http.Json;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Faults;

/// <summary>Injected faults as the SDK experiences them: retried transient errors, failed operations, dropped connections.</summary>
[Collection(SharedEmulatorDefinition.Name)]
public sealed class FaultInjectionTests(EmulatorFixture fixture) : IDisposable
{
    public void Dispose() => fixture.Emulator.Control.ClearFaults();

    private int Count(string path, int status) =>
        fixture.Emulator.Control.RequestLog.Count(e => e.Path.EndsWith(path, StringComparison.OrdinalIgnoreCase) && e.Status == status);

    [Fact]
    public async Task TwoThrottles_OnGroupPut_SdkRetriesAfterRetryAfterAndSucceeds()
    {
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/resourcegroups/rg-fault-429", Method = "PUT", Kind = FaultKind.TooManyRequests, Count = 2, RetryAfter = TimeSpan.FromSeconds(1) });
        var stopwatch = Stopwatch.StartNew();

        var group = await Scenario.GroupAsync(fixture.Arm(), "rg-fault-429");

        Assert.Equal("rg-fault-429", group.Data.Name);
        Assert.Equal(2, Count("/resourcegroups/rg-fault-429", 429));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.9), $"Retry-After honoured: {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task ConnectionDrop_Once_SdkRetriesAndSucceeds()
    {
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/resourcegroups/rg-fault-drop", Kind = FaultKind.ConnectionDrop });

        var group = await Scenario.GroupAsync(fixture.Arm(), "rg-fault-drop");

        Assert.Equal("rg-fault-drop", group.Data.Name);
        Assert.Empty(fixture.Emulator.Control.Faults);
    }

    [Fact]
    public async Task InternalErrors_MoreThanRetries_SurfaceAs500()
    {
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/resourcegroups/rg-fault-500", Kind = FaultKind.InternalServerError, Count = 10 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Scenario.GroupAsync(fixture.Arm(), "rg-fault-500"));

        Assert.Equal(500, error.Status);
        Assert.Equal("InternalServerError", error.ErrorCode);
    }

    [Fact]
    public async Task ServiceUnavailable_Once_Retried()
    {
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/resourcegroups/rg-fault-503", Kind = FaultKind.ServiceUnavailable, RetryAfter = TimeSpan.Zero });

        var group = await Scenario.GroupAsync(fixture.Arm(), "rg-fault-503");

        Assert.Equal(1, Count("/resourcegroups/rg-fault-503", 503));
        Assert.Equal("rg-fault-503", group.Data.Name);
    }

    [Theory]
    [InlineData("AllocationFailed")]
    [InlineData("SkuNotAvailable")]
    [InlineData("OperationNotAllowed")]
    public async Task VmCreate_OperationFailedFault_LroEndsFailedWithCode(string code)
    {
        var arm = fixture.Arm();
        var group = await Scenario.GroupAsync(arm, $"rg-lro-{code.ToLowerInvariant()}");
        var network = await Scenario.NetworkAsync(arm, group, "lro");
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = $"*/{group.Data.Name}/providers/Microsoft.Compute/virtualMachines/*", Method = "PUT", Kind = FaultKind.OperationFailed, ErrorCode = code });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Scenario.VmAsync(group, "vm-lro", network.NicId));
        var vm = (await group.GetVirtualMachineAsync("vm-lro", InstanceViewType.InstanceView)).Value;

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal("Failed", vm.Data.ProvisioningState);
        var status = Assert.Single(vm.Data.InstanceView.Statuses, s => s.Code.StartsWith("ProvisioningState/", StringComparison.Ordinal));
        Assert.Equal($"ProvisioningState/failed/{code}", status.Code);
        Assert.Equal("Error", status.Level.ToString());
        Assert.False(string.IsNullOrEmpty(status.Message));
    }

    [Fact]
    public async Task AuthorizationFailedFault_Returns403()
    {
        fixture.Emulator.Control.InjectFault(new FaultRule { PathPattern = "*/resourcegroups/rg-fault-403", Kind = FaultKind.AuthorizationFailed });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Scenario.GroupAsync(fixture.Arm(), "rg-fault-403"));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailed", error.ErrorCode);
    }

    [Fact]
    public async Task LatencyRule_AddsDelayToMatchingRequests()
    {
        fixture.Emulator.Control.AddLatency(new LatencyRule { PathPattern = "*/resourcegroups/rg-slow", Delay = TimeSpan.FromMilliseconds(400) });
        var stopwatch = Stopwatch.StartNew();

        await Scenario.GroupAsync(fixture.Arm(), "rg-slow");

        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task ControlApi_PostFaultAsJson_AppliesToNextRequest()
    {
        using var http = fixture.ControlHttp();
        using var posted = await http.PostAsJsonAsync(new Uri("_emulator/faults", UriKind.Relative), new
        {
            pathPattern = "*/resourcegroups/rg-fault-http",
            method = "PUT",
            kind = "TooManyRequests",
            count = 1,
            retryAfter = "00:00:00",
        });
        posted.EnsureSuccessStatusCode();

        await Scenario.GroupAsync(fixture.Arm(), "rg-fault-http");

        Assert.Equal(1, Count("/resourcegroups/rg-fault-http", 429));
        var counters = await http.GetFromJsonAsync<Dictionary<string, long>>(new Uri("_emulator/counters", UriKind.Relative));
        Assert.True(counters!["PUT resourceGroups"] >= 2);
    }
}
