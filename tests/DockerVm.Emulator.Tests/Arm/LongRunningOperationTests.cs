using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Resources;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Emulator.Tests.Arm;

/// <summary>
/// Simulated durations: resources show Creating until the operation completes; lists page with absolute nextLink.
/// Operation time runs on a <see cref="FakeTimeProvider"/>, so the tests step over durations instead of waiting them out.
/// </summary>
public sealed class LongRunningOperationTests
{
    [Fact]
    public async Task VmCreate_WithDuration_CreatingUntilDoneThenSucceeded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time, Durations = new LroDurations { VirtualMachine = TimeSpan.FromSeconds(4) } });
        var arm = AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator));
        var group = await Scenario.GroupAsync(arm, "rg-lro");
        var network = await Scenario.NetworkAsync(arm, group, "lro");

        var operation = await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Started, "vm-slow", Scenario.VmData(network.NicId, "vm-slow"));
        var during = (await group.GetVirtualMachineAsync("vm-slow")).Value.Data.ProvisioningState;
        time.Advance(TimeSpan.FromSeconds(3.9));
        var justBeforeDue = (await group.GetVirtualMachineAsync("vm-slow")).Value.Data.ProvisioningState;
        time.Advance(TimeSpan.FromSeconds(0.1));
        var done = (await operation.WaitForCompletionAsync()).Value;

        Assert.Equal("Creating", during);
        Assert.Equal("Creating", justBeforeDue);
        Assert.Equal("Succeeded", done.Data.ProvisioningState);
        Assert.Contains(emulator.Control.RequestLog, e => e.Path.Contains("/providers/Microsoft.Compute/locations/westeurope/operations/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperationStatus_RawPolling_InProgressThenSucceeded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { TimeProvider = time, Durations = new LroDurations { Network = TimeSpan.FromSeconds(3) } });
        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueToken("https://management.azure.com"));
        var group = $"subscriptions/{emulator.SubscriptionId}/resourceGroups/rg-raw";
        (await http.PutAsync(new Uri($"{group}?api-version=2022-09-01", UriKind.Relative), new StringContent("""{"location":"westeurope"}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        using var put = await http.PutAsync(
            new Uri($"{group}/providers/Microsoft.Network/networkSecurityGroups/nsg?api-version=2024-05-01", UriKind.Relative),
            new StringContent("""{"location":"westeurope","properties":{"securityRules":[]}}""", System.Text.Encoding.UTF8, "application/json"));
        var statusUrl = put.Headers.GetValues("Azure-AsyncOperation").Single();
        var first = JsonNode.Parse(await http.GetStringAsync(new Uri(statusUrl)))!;
        time.Advance(TimeSpan.FromSeconds(3.5));
        var second = JsonNode.Parse(await http.GetStringAsync(new Uri(statusUrl)))!;

        Assert.Equal(201, (int)put.StatusCode);
        Assert.Equal("1", put.Headers.GetValues("Retry-After").Single());
        Assert.Equal("InProgress", (string?)first["status"]);
        Assert.Equal("Succeeded", (string?)second["status"]);
    }

    [Fact]
    public async Task ListResourceGroups_PageSizeTwo_SdkFollowsAbsoluteNextLink()
    {
        await using var emulator = await AzureEmulator.StartAsync(new EmulatorOptions { PageSize = 2 });
        var subscription = await AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)).GetDefaultSubscriptionAsync();
        for (var i = 0; i < 5; i++)
        {
            await subscription.GetResourceGroups().CreateOrUpdateAsync(WaitUntil.Completed, $"rg-page-{i}", new ResourceGroupData(Scenario.Location));
        }

        var names = new List<string>();
        await foreach (var group in subscription.GetResourceGroups().GetAllAsync())
        {
            names.Add(group.Data.Name);
        }

        using var http = PinnedTransport.Client(emulator.Certificate, emulator.BaseUri);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.IssueToken("https://management.azure.com"));
        var page = JsonNode.Parse(await http.GetStringAsync(new Uri($"subscriptions/{emulator.SubscriptionId}/resourcegroups?api-version=2022-09-01", UriKind.Relative)))!;

        Assert.Equal(5, names.Count);
        Assert.StartsWith(emulator.BaseUri.ToString(), (string?)page["nextLink"], StringComparison.Ordinal);
    }
}
