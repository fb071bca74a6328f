using System.Text.Json;
using System.Text.RegularExpressions;
using DockerVm.Api;
using DockerVm.Functions.Http;
using DockerVm.Functions.Queues;
using DockerVm.Provisioning.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DockerVm.Functions.Tests.Configuration;

/// <summary>host.json and local.settings.sample.json, as the Functions host and a developer would use them.</summary>
public sealed partial class AppConfigurationTests
{
    private static JsonElement ReadJson(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string> SampleValues() => ReadJson("local.settings.sample.json").GetProperty("Values")
        .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);

    /// <summary>App settings as the worker's configuration sees them (<c>__</c> is the section separator).</summary>
    private static IConfiguration SampleConfiguration() => new ConfigurationBuilder()
        .AddInMemoryCollection(SampleValues().Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), (string?)kv.Value)))
        .Build();

    [Theory]
    [InlineData("AzureWebJobsStorage")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("TaskHubName")]
    [InlineData("Azure__SubscriptionId")]
    [InlineData("Azure__Cloud")]
    [InlineData("Azure__ResourceManagerEndpoint")]
    [InlineData("Azure__ResourceManagerAudience")]
    [InlineData("Azure__KeyVaultUri")]
    [InlineData("Azure__ManagedIdentityClientId")]
    [InlineData("Azure__PinnedCertificatePath")]
    [InlineData("Provisioning__RequestQueueName")]
    [InlineData("Provisioning__VmReadyTimeout")]
    [InlineData("Provisioning__ExtensionReadyTimeout")]
    [InlineData("Provisioning__PollInterval")]
    [InlineData("Callbacks__SigningKeys__default")]
    [InlineData("Callbacks__AllowedLocalHosts__0")]
    [InlineData("Webhooks__SigningSecret")]
    [InlineData("Webhooks__PreviousSigningSecret")]
    [InlineData("IDENTITY_ENDPOINT")]
    [InlineData("IDENTITY_HEADER")]
    public void SampleSettings_ListEveryKeyTheAppReads(string key) => Assert.True(SampleValues().ContainsKey(key), key);

    [Fact]
    public void SampleSettings_UseAzuriteAndTheLocalEmulator()
    {
        var values = SampleValues();

        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.StartsWith("https://127.0.0.1:", values["Azure__ResourceManagerEndpoint"], StringComparison.Ordinal);
        Assert.StartsWith("https://127.0.0.1:", values["Azure__KeyVaultUri"], StringComparison.Ordinal);
    }

    [Fact]
    public void EverySettingReferencedByBindingsOrHostJson_IsInTheSample()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata"))
            + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json"));
        var referenced = SettingReference().Matches(text).Select(m => m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)).Distinct();
        var values = SampleValues();

        Assert.All(referenced, key => Assert.True(values.ContainsKey(key), $"{key} is referenced but not in local.settings.sample.json"));
    }

    [Fact]
    public void HostJson_RetriesQueueMessagesFiveTimesAndNamesTheTaskHubFromASetting()
    {
        var host = ReadJson("host.json");
        var queues = host.GetProperty("extensions").GetProperty("queues");
        var durable = host.GetProperty("extensions").GetProperty("durableTask");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        Assert.Equal(5, queues.GetProperty("maxDequeueCount").GetInt32());
        Assert.True(queues.TryGetProperty("batchSize", out _));
        Assert.True(queues.TryGetProperty("visibilityTimeout", out _));
        Assert.Equal("none", queues.GetProperty("messageEncoding").GetString());
        Assert.Equal("%TaskHubName%", durable.GetProperty("hubName").GetString());
        Assert.Equal("AzureWebJobsStorage", durable.GetProperty("storageProvider").GetProperty("connectionName").GetString());
        Assert.True(host.TryGetProperty("functionTimeout", out _));
    }

    [Fact]
    public void HostJson_NeverTracesOrchestrationInputsOrOutputs()
    {
        var tracing = ReadJson("host.json").GetProperty("extensions").GetProperty("durableTask").GetProperty("tracing");

        Assert.False(tracing.GetProperty("traceInputsAndOutputs").GetBoolean());
    }

    [Fact]
    public void SampleSettings_PassEveryOptionsValidationTheAppRunsOnStart()
    {
        var services = new ServiceCollection()
            .AddSingleton(SampleConfiguration())
            .AddLogging();
        services.AddDockerVmApi();
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void EveryFunctionClassAndWorkflowClass_CanBeCreatedFromTheAppsServices()
    {
        var configuration = SampleConfiguration();
        configuration["Azure:PinnedCertificatePath"] = null;
        var services = new ServiceCollection().AddSingleton(configuration).AddLogging();
        services.AddDockerVmApi();
        using var provider = services.BuildServiceProvider();
        var workflowTypes = typeof(ProvisionDockerVm).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false }
                && (typeof(ITaskActivity).IsAssignableFrom(t) || typeof(ITaskOrchestrator).IsAssignableFrom(t)));

        foreach (var type in workflowTypes.Concat([typeof(DockerVmHttpFunctions), typeof(ProvisionRequestQueueFunction)]))
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(provider, type));
        }
    }

    [GeneratedRegex("%([A-Za-z0-9_:]+)%")]
    private static partial Regex SettingReference();
}
