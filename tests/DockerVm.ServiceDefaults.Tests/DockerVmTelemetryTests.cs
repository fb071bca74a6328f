using System.Diagnostics;
using DockerVm.Provisioning.Contracts;
using DockerVm.Provisioning.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DockerVm.ServiceDefaults.Tests;

public sealed class DockerVmTelemetryTests
{
    private static IConfiguration NoExporters() => new ConfigurationBuilder().Build();

    [Theory]
    [InlineData("Microsoft.DurableTask")]
    [InlineData("DurableTask.Core")]
    [InlineData("Azure.ResourceManager.Compute")]
    [InlineData("Azure.Security.KeyVault.Secrets")]
    public void AddDockerVmTelemetry_WorkflowAndAzureSdkSources_AreTraced(string sourceName)
    {
        var spans = new List<Activity>();
        var services = new ServiceCollection();
        services.AddDockerVmTelemetry(NoExporters(), "test").WithTracing(t => t.AddInMemoryExporter(spans));
        using var provider = services.BuildServiceProvider();
        using var tracer = provider.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource(sourceName);

        using (source.StartActivity("work"))
        {
        }

        Assert.Single(spans);
        Assert.Equal("test", tracer.GetResource().Attributes.Single(a => a.Key == "service.name").Value);
        Assert.True(AppContext.TryGetSwitch("Azure.Experimental.EnableActivitySource", out var azureTracing) && azureTracing);
    }

    [Fact]
    public void AddDockerVmTelemetry_UnrelatedSource_IsNotTraced()
    {
        var spans = new List<Activity>();
        var services = new ServiceCollection();
        services.AddDockerVmTelemetry(NoExporters(), "test").WithTracing(t => t.AddInMemoryExporter(spans));
        using var provider = services.BuildServiceProvider();
        using var tracer = provider.GetRequiredService<TracerProvider>();
        using var source = new ActivitySource("Some.Other.Library");

        using (source.StartActivity("work"))
        {
        }

        Assert.Empty(spans);
    }

    [Fact]
    public void AddDockerVmTelemetry_OtlpAndApplicationInsightsConfigured_ProvidersStartWithBothExporters()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [DockerVmTelemetryExtensions.OtlpEndpointKey] = "http://127.0.0.1:4317",
            [DockerVmTelemetryExtensions.ApplicationInsightsConnectionStringKey] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/",
            ["Azure:ManagedIdentityClientId"] = "11111111-1111-1111-1111-111111111111",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddDockerVmTelemetry(configuration, "test");
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<TracerProvider>());
        Assert.NotNull(provider.GetRequiredService<MeterProvider>());
    }

    [Fact]
    public void AddDockerVmTelemetry_WorkflowMeter_IsExported()
    {
        var metrics = new List<Metric>();
        var services = new ServiceCollection().AddMetrics().AddSingleton<ProvisioningMetrics>();
        services.AddDockerVmTelemetry(NoExporters(), "test").WithMetrics(m => m.AddInMemoryExporter(metrics));
        using var provider = services.BuildServiceProvider();
        using var meters = provider.GetRequiredService<MeterProvider>();

        provider.GetRequiredService<ProvisioningMetrics>().RecordProvisioningCompleted(null, DockerInstaller.CustomScript, TimeSpan.FromMinutes(5));
        meters.ForceFlush();

        Assert.Contains(metrics, m => m.Name == ProvisioningMetrics.ProvisioningCompleted);
        Assert.Contains(metrics, m => m.Name == ProvisioningMetrics.ProvisioningDuration);
    }

    [Fact]
    public async Task AddDockerVmTelemetry_CallbackUrlWithToken_HttpSpansCarryNoQueryString()
    {
        const string Secret = "s3cr3t-token-value";
        var spans = new List<Activity>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddDockerVmTelemetry("test").WithTracing(t => t.AddInMemoryExporter(spans));
        await using var app = builder.Build();
        app.MapPost("/hooks", () => "ok");
        await app.StartAsync();
        var baseUrl = app.Urls.Single();

        using (var http = new HttpClient())
        {
            using var content = new StringContent($$"""{"token":"{{Secret}}"}""");
            using var response = await http.PostAsync(new Uri($"{baseUrl}/hooks?token={Secret}&sig={Secret}"), content);
            response.EnsureSuccessStatusCode();
        }

        await app.StopAsync();
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();

        Activity[] recorded;
        lock (spans)
        {
            recorded = [.. spans];
        }

        var client = Assert.Single(recorded, s => s.Kind == ActivityKind.Client && s.GetTagItem("url.full") is string url && url.StartsWith(baseUrl, StringComparison.Ordinal));
        Assert.Equal($"{baseUrl}/hooks", client.GetTagItem("url.full"));
        Assert.Contains(recorded, s => s.Kind == ActivityKind.Server);
        Assert.All(recorded, span => Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(Secret, StringComparison.Ordinal) == true));
    }
}
