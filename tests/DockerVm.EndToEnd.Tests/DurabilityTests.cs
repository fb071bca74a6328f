using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DockerVm.EndToEnd.Tests.Infrastructure;

namespace DockerVm.EndToEnd.Tests;

[Collection(LocalStackCollectionDefinition.Name)]
public sealed class DurabilityTests(LocalStackFixture stack) : LocalStackTest(stack)
{
    [Fact]
    public async Task HostKilledDuringVmWait_RestartedHostCompletesOnceWithOneVm()
    {
        // A host of its own (own task hub and queue) so killing it leaves the shared one alone. The local host's default
        // visibility timeouts (seconds, not the provider's 5 minutes) bring back what the dead host had dequeued well
        // within the deadline below.
        var environment = Stack.HostEnvironment("kill" + Guid.NewGuid().ToString("N")[..10], "kill-" + Guid.NewGuid().ToString("N")[..8]);
        var vmDuration = Stack.Emulator.Control.Durations.VirtualMachine;
        Stack.Emulator.Control.Durations.VirtualMachine = TimeSpan.FromSeconds(10);
        try
        {
            var name = Stack.NewVmName("kill");
            var first = await Stack.StartHostAsync(environment, "kill-first.log");
            using var firstApi = new HttpClient { BaseAddress = new Uri(first.BaseAddress, "api/") };
            using var submitted = await firstApi.PostAsync(
                new Uri("docker-vms", UriKind.Relative),
                new StringContent(Stack.NewRequest(name).ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            await StatusPolling.WaitForStepAsync(firstApi, id, "creatingVirtualMachine");

            await first.KillAsync();
            var second = await Stack.StartHostAsync(environment, "kill-second.log");
            using var secondApi = new HttpClient { BaseAddress = new Uri(second.BaseAddress, "api/") };
            var done = await StatusPolling.WaitForFinishAsync(secondApi, id, TimeSpan.FromSeconds(90));

            Assert.True(done["state"]!.GetValue<string>() == "succeeded", done.ToJsonString());
            Assert.Single(Stack.ResourcesOf(name), r => r.EndsWith($"/virtualMachines/{name}", StringComparison.OrdinalIgnoreCase));
            Assert.Single(await Stack.WaitForCallbacksAsync(id, ".provisioned"));

            // The orchestration completed (with its callback activity), so the receiver's record of it is final.
            Assert.Single(Stack.CallbacksFor(id));
        }
        finally
        {
            Stack.Emulator.Control.Durations.VirtualMachine = vmDuration;
        }
    }
}
