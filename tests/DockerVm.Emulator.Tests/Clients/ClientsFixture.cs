using DockerVm.Emulator.Faults;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.Tests.Infrastructure;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>
/// An emulator of its own (the clients get its identity endpoint through their own environment, never the process's)
/// holding what a user would look at: a resource group with a VM, its network and public IP, and a secret, all
/// created through the real .NET SDK the way the workflow creates them.
/// </summary>
public sealed class ClientsFixture : IAsyncLifetime
{
    public const string GroupName = "rg-clients";
    public const string VmName = "vm-clients";
    public const string PublicIpName = "clients-ip";
    public const string SecretName = "client-test-secret";

    /// <summary>A test string, not key material: it may appear in a failing test's output.</summary>
    public const string SecretValue = "test-value-not-a-key";

    private AzCliSession? _az;

    public AzureEmulator Emulator { get; private set; } = null!;

    public string VmId { get; private set; } = null!;

    public string PublicIpId { get; private set; } = null!;

    public string PublicIpAddress { get; private set; } = null!;

    public string Fqdn { get; private set; } = null!;

    public Uri SecretId { get; private set; } = null!;

    /// <summary>az with a configuration directory of its own, signed in at most once for all tests.</summary>
    internal AzCliSession Az => _az ??= new AzCliSession(this);

    public async Task InitializeAsync()
    {
        Emulator = await AzureEmulator.StartAsync(new EmulatorOptions());
        var credential = EmulatorTokenCredential.For(Emulator);
        var arm = AzureClients.Arm(Emulator, credential);
        var group = await Scenario.GroupAsync(arm, GroupName);
        var network = await Scenario.NetworkAsync(arm, group, "clients");
        var vm = await Scenario.VmAsync(group, VmName, network.NicId);
        var secret = await AzureClients.Secrets(Emulator, credential).SetSecretAsync(SecretName, SecretValue);
        VmId = vm.Id.ToString();
        PublicIpId = network.PublicIpId.ToString();
        PublicIpAddress = network.PublicIp;
        Fqdn = network.Fqdn;
        SecretId = secret.Value.Id;

        // From here on network operations and deletes stay InProgress for two seconds, so a client's long-running
        // operation is really polled (Retry-After 1 s) instead of finishing on the first answer.
        Emulator.Control.Durations.Network = TimeSpan.FromSeconds(2);
        Emulator.Control.Durations.Delete = TimeSpan.FromSeconds(2);
    }

    /// <summary>The requests the emulator served since <paramref name="since"/> (taken before a client ran).</summary>
    public IReadOnlyList<RequestLogEntry> RequestsSince(DateTimeOffset since) => [.. Emulator.Control.RequestLog.Where(r => r.Time >= since)];

    public async Task DisposeAsync()
    {
        _az?.Dispose();
        await Emulator.DisposeAsync();
    }
}
