using Azure.Core;
using Azure.Identity;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>
/// One emulator shared by the "emulator" collection. It owns the process-wide IDENTITY_ENDPOINT/IDENTITY_HEADER, so
/// clients here authenticate through the real ManagedIdentityCredential, exactly as the product does.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public AzureEmulator Emulator { get; private set; } = null!;

    public TokenCredential Credential { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = await AzureEmulator.StartAsync(new EmulatorOptions());
        foreach (var (name, value) in Emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Credential = new ManagedIdentityCredential(new ManagedIdentityCredentialOptions(ManagedIdentityId.SystemAssigned)
        {
            Transport = PinnedTransport.For(Emulator.Certificate),
        });
    }

    public ArmClient Arm(ArmClientOptions? options = null) => AzureClients.Arm(Emulator, Credential, options);

    public SecretClient Secrets() => AzureClients.Secrets(Emulator, Credential);

    public HttpClient Http() => PinnedTransport.Client(Emulator.Certificate, Emulator.BaseUri);

    /// <summary>A client of the control API: it sends the control secret, as scripts do with the secret file's content.</summary>
    public HttpClient ControlHttp() => PinnedTransport.ControlClient(Emulator);

    public async Task DisposeAsync()
    {
        foreach (var name in Emulator.EnvironmentVariables.Keys)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        await Emulator.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedEmulatorDefinition : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "emulator";
}
