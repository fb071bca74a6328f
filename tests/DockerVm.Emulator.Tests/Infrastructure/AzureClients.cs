using Azure.Core;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Tests.Infrastructure;

/// <summary>Real SDK clients pointed at an emulator: only endpoint, transport and credential differ from production.</summary>
internal static class AzureClients
{
    public const string NetworkApiVersion = "2024-05-01";

    public static readonly string[] NetworkTypes =
    [
        "Microsoft.Network/networkSecurityGroups",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/networkInterfaces",
    ];

    public static ArmClientOptions ArmOptions(AzureEmulator emulator)
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(emulator.ArmEndpoint, emulator.ArmAudience),
            Transport = PinnedTransport.For(emulator.Certificate),
        };
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        foreach (var type in NetworkTypes)
        {
            options.SetApiVersion(new ResourceType(type), NetworkApiVersion);
        }

        return options;
    }

    public static ArmClient Arm(AzureEmulator emulator, TokenCredential credential, ArmClientOptions? options = null) =>
        new(credential, emulator.SubscriptionId, options ?? ArmOptions(emulator));

    public static SecretClient Secrets(AzureEmulator emulator, TokenCredential credential) =>
        new(emulator.VaultUri, credential, new SecretClientOptions
        {
            DisableChallengeResourceVerification = true,
            Transport = PinnedTransport.For(emulator.Certificate),
            Retry = { Delay = TimeSpan.FromMilliseconds(50) },
        });
}
