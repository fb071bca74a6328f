using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Emulator.Hosting;
using DockerVm.Provisioning.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests.Infrastructure;

/// <summary>The production Azure client wiring (<see cref="DependencyInjection.AddDockerVmProvisioning"/>) pointed at an emulator.</summary>
internal static class EmulatorClients
{
    public static IServiceProvider Services(AzureEmulator emulator)
    {
        foreach (var (key, value) in emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(emulator.ConfigurationValues.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddDockerVmProvisioning();
        return services.BuildServiceProvider();
    }

    /// <summary>Creates <paramref name="resourceGroup"/> (idempotent), as infra does before the app runs: the workflow
    /// itself neither reads nor creates groups.</summary>
    public static async Task CreateResourceGroupAsync(ArmClient arm, string subscriptionId, string resourceGroup, string location = "westeurope")
    {
        ArgumentNullException.ThrowIfNull(arm);
        await arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId)).GetResourceGroups()
            .CreateOrUpdateAsync(WaitUntil.Completed, resourceGroup, new ResourceGroupData(new AzureLocation(location)));
    }

    public static ArmClient Arm(AzureEmulator emulator) => Services(emulator).GetRequiredService<ArmClient>();

    public static SecretClient Secrets(AzureEmulator emulator) => Services(emulator).GetRequiredService<SecretClient>();

    public static IOptions<AzureOptions> AzureOptions(AzureEmulator emulator) => Services(emulator).GetRequiredService<IOptions<AzureOptions>>();
}
