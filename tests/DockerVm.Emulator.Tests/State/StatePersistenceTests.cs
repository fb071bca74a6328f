using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure;
using Azure.ResourceManager.Compute;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Emulator.Tests.State;

/// <summary>
/// An emulator started on the state file of an earlier one holds what Azure would still hold: resources, operations,
/// public IP allocations, Key Vault secrets with their versions, and the Docker daemons of hosts whose extension succeeded.
/// </summary>
public sealed class StatePersistenceTests : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("emulator-state-");

    private string StatePath => Path.Combine(directory.FullName, "state.json");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public async Task Restart_SameStateFile_ResourcesSecretsAddressesAndDaemonBack()
    {
        Scenario.Network network;
        DockerCertificates certificates;
        await using (var first = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath }))
        {
            var arm = AzureClients.Arm(first, EmulatorTokenCredential.For(first));
            var group = await Scenario.GroupAsync(arm, "rg-state");
            network = await Scenario.NetworkAsync(arm, group, "state");
            certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
            var vm = await Scenario.VmAsync(group, "vm-state", network.NicId);
            await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Completed, "docker", Scenario.DockerExtension(certificates));
            var secrets = AzureClients.Secrets(first, EmulatorTokenCredential.For(first));
            await secrets.SetSecretAsync("kept", "one");
            await secrets.SetSecretAsync("kept", "two");
            await secrets.SetSecretAsync("gone", "soon deleted");
            await (await secrets.StartDeleteSecretAsync("gone")).WaitForCompletionAsync();
        }

        await using var second = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath });
        var restartedArm = AzureClients.Arm(second, EmulatorTokenCredential.For(second));
        var restartedGroup = (await (await restartedArm.GetDefaultSubscriptionAsync()).GetResourceGroupAsync("rg-state")).Value;
        var restartedVm = (await restartedGroup.GetVirtualMachineAsync("vm-state")).Value;
        var restartedSecrets = AzureClients.Secrets(second, EmulatorTokenCredential.For(second));
        var versions = new List<string>();
        await foreach (var version in restartedSecrets.GetPropertiesOfSecretVersionsAsync("kept"))
        {
            versions.Add(version.Version);
        }

        var otherNetwork = await Scenario.NetworkAsync(restartedArm, restartedGroup, "other");
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate());
        using var ping = await docker.GetAsync(new Uri("_ping", UriKind.Relative));

        Assert.Equal("Succeeded", restartedVm.Data.ProvisioningState);
        Assert.Equal(2, versions.Count);
        Assert.Equal("two", (await restartedSecrets.GetSecretAsync("kept")).Value.Value);
        Assert.Equal("gone", (await restartedSecrets.GetDeletedSecretAsync("gone")).Value.Name);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Single(second.Control.DockerDaemons);
        Assert.NotEqual(network.PublicIp, otherNetwork.PublicIp);
        Assert.True(FileModes.IsOwnerOnly(StatePath), StatePath);
    }

    [Fact]
    public async Task Restart_OperationsInProgress_CompleteAfterRestartAndPollersCarryOn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var durations = new LroDurations { VirtualMachine = TimeSpan.FromSeconds(10), Extension = TimeSpan.FromSeconds(5) };
        Scenario.Network network;
        DockerCertificates certificates;
        string operationPath;
        await using (var first = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath, TimeProvider = time, Durations = durations }))
        {
            var arm = AzureClients.Arm(first, EmulatorTokenCredential.For(first));
            var group = await Scenario.GroupAsync(arm, "rg-busy");
            network = await Scenario.NetworkAsync(arm, group, "busy");
            certificates = TestPki.Issue(network.PublicIp, network.Fqdn);
            await group.GetVirtualMachines().CreateOrUpdateAsync(WaitUntil.Started, "vm-busy", Scenario.VmData(network.NicId, "vm-busy"));
            var vm = (await group.GetVirtualMachineAsync("vm-busy")).Value;
            await vm.GetVirtualMachineExtensions().CreateOrUpdateAsync(WaitUntil.Started, "docker", Scenario.DockerExtension(certificates));
            var extensionOperation = first.Control.DumpState()["operationsInProgress"]!.AsArray()
                .Single(o => ((string?)o!["resourceId"])!.EndsWith("/extensions/docker", StringComparison.Ordinal))!;
            operationPath = $"subscriptions/{first.SubscriptionId}/providers/Microsoft.Compute/locations/westeurope/operations/{extensionOperation["id"]}";
        }

        await using var second = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath, TimeProvider = time, Durations = durations });
        time.Advance(TimeSpan.FromSeconds(20));
        var vmAfter = await WaitForProvisioningAsync(second, "rg-busy", "vm-busy", "docker");
        using var http = PinnedTransport.Client(second.Certificate, second.BaseUri);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second.IssueToken("https://management.azure.com"));
        var operation = JsonNode.Parse(await http.GetStringAsync(new Uri(operationPath + "?api-version=2023-07-01", UriKind.Relative)))!;
        using var docker = DockerProbe.Client(network.PublicIp, 2376, certificates.Authority(), certificates.ClientCertificate());
        using var ping = await docker.GetAsync(new Uri("_ping", UriKind.Relative));

        Assert.Equal("Succeeded", vmAfter);
        Assert.Equal("Succeeded", (string?)operation["status"]);
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Start_CorruptStateFile_RefusesWithThePath()
    {
        await File.WriteAllTextAsync(StatePath, "{ not json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath }));

        Assert.Contains(StatePath, error.Message, StringComparison.Ordinal);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(StatePath));
    }

    [Fact]
    public async Task Start_StateOfAnotherSubscription_Refuses()
    {
        await using (var first = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath }))
        {
            await Scenario.GroupAsync(AzureClients.Arm(first, EmulatorTokenCredential.For(first)), "rg-sub");
        }

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath, SubscriptionId = Guid.NewGuid().ToString() }));

        Assert.Contains("subscription", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_ThenRestart_StartsEmpty()
    {
        await using (var first = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath }))
        {
            await Scenario.GroupAsync(AzureClients.Arm(first, EmulatorTokenCredential.For(first)), "rg-reset");
            first.Control.Reset();
        }

        await using var second = await AzureEmulator.StartAsync(new EmulatorOptions { StatePath = StatePath });

        Assert.Empty(second.Control.DumpState()["resourceGroups"]!.AsArray());
    }

    /// <summary>Reads the extension until it is provisioned: its completion waits for certificate checks running off the lock.</summary>
    private static async Task<string?> WaitForProvisioningAsync(AzureEmulator emulator, string resourceGroup, string vmName, string extension)
    {
        var group = (await (await AzureClients.Arm(emulator, EmulatorTokenCredential.For(emulator)).GetDefaultSubscriptionAsync()).GetResourceGroupAsync(resourceGroup)).Value;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var vm = (await group.GetVirtualMachineAsync(vmName)).Value;
            var state = (await vm.GetVirtualMachineExtensionAsync(extension)).Value.Data.ProvisioningState;
            if (state == "Succeeded" || DateTime.UtcNow > deadline)
            {
                return state == "Succeeded" ? vm.Data.ProvisioningState : state;
            }

            await Task.Delay(50);
        }
    }
}
