using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.ResourceManager;
using Azure.Security.KeyVault.Secrets;
using DockerVm.Provisioning.Activities.Docker;
using DockerVm.Provisioning.Application;
using DockerVm.Provisioning.Azure;
using DockerVm.Provisioning.Configuration;
using DockerVm.Provisioning.Orchestrations;
using DockerVm.Provisioning.Storage;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Tests;

/// <summary>What <c>AddDockerVmProvisioning</c> and <c>AddDockerVmWorkflow</c> register (DependencyInjection.cs): options validation, clients, app layer, workflow names.</summary>
public sealed class DependencyInjectionTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddDockerVmProvisioning();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddDockerVmProvisioning_MissingSubscriptionAndVault_FailsOptionsValidationNamingThem()
    {
        using var provider = Build([]);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains(nameof(AzureOptions.SubscriptionId), StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains(nameof(AzureOptions.KeyVaultUri), StringComparison.Ordinal));
    }

    [Fact]
    public void AddDockerVmProvisioning_NoStorage_FailsOptionsValidationNamingAzureWebJobsStorage()
    {
        using var provider = Build([]);

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("AzureWebJobsStorage", StringComparison.Ordinal));
    }

    [Fact]
    public void AddDockerVmProvisioning_IdentityBasedStorage_ReadsTheTableEndpointAndHubName()
    {
        using var provider = Build(new() { ["AzureWebJobsStorage:tableServiceUri"] = "https://st1.table.core.windows.net/", ["TaskHubName"] = "OtherHub" });

        var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(new Uri("https://st1.table.core.windows.net/"), options.TableServiceUri);
        Assert.Null(options.ConnectionString);
        Assert.Equal("OtherHub", options.TaskHubName);
    }

    [Fact]
    public void AddDockerVmProvisioning_UnknownCloud_FailsOptionsValidation()
    {
        using var provider = Build(new() { ["Azure:SubscriptionId"] = "s", ["Azure:KeyVaultUri"] = "https://v.vault.azure.net/", ["Azure:Cloud"] = "AzureGermanCloud" });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureOptions>>().Value);
    }

    [Fact]
    public void AddDockerVmProvisioning_ValidConfiguration_ResolvesSingletonClientsAndAppLayer()
    {
        var pem = Path.GetTempFileName();
        try
        {
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                using var cert = new CertificateRequest("CN=emulator", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
                File.WriteAllText(pem, cert.ExportCertificatePem()); // certificate only, as the emulator writes it
            }

            using var provider = Build(new()
            {
                ["Azure:SubscriptionId"] = "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                ["Azure:KeyVaultUri"] = "https://127.0.0.1:8443/",
                ["Azure:ResourceManagerEndpoint"] = "https://127.0.0.1:8443/",
                ["Azure:PinnedCertificatePath"] = pem,
                ["Provisioning:PollInterval"] = "00:00:01",
                ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            });

            Assert.Same(provider.GetRequiredService<ArmClient>(), provider.GetRequiredService<ArmClient>());
            Assert.Same(provider.GetRequiredService<SecretClient>(), provider.GetRequiredService<SecretClient>());
            Assert.NotNull(provider.GetRequiredService<DockerVmService>());
            Assert.Same(provider.GetRequiredService<IRecordStore>(), provider.GetRequiredService<IRecordStore>());
            Assert.NotNull(provider.GetRequiredService<QueueRequestHandler>());
            Assert.Equal(TimeSpan.FromSeconds(1), provider.GetRequiredService<IOptions<ProvisioningOptions>>().Value.PollInterval);
            Assert.Equal("docker-vm-requests-poison", provider.GetRequiredService<IOptions<ProvisioningOptions>>().Value.PoisonQueueName);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void AddDockerVmWorkflow_RegistersEveryOrchestratorAndActivityByClassName()
    {
        var registry = new DurableTaskRegistry();
        registry.AddDockerVmWorkflow();

        // Registering one of them again under the same name must collide: proves the name is the class name.
        Assert.ThrowsAny<ArgumentException>(() => registry.AddOrchestrator<ProvisionDockerVm>());
        Assert.ThrowsAny<ArgumentException>(() => registry.AddActivity<VerifyDockerEndpoint>());
    }
}
