using DockerVm.LocalHost.DurableTask;
using DockerVm.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DockerVm.LocalHost.Tests.Infrastructure;

/// <summary>A generic host running <see cref="DurableTaskServiceCollectionExtensions.AddLocalDurableTask"/> on a test Azurite.</summary>
internal static class DurableTestHost
{
    public static async Task<RunningHost> StartAsync(
        AzuriteServer azurite, string taskHubName, Action<DurableTaskRegistry> tasks, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["TaskHubName"] = taskHubName,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddLogging();
        builder.Services.AddLocalDurableTask(tasks);
        var host = builder.Build();
        await host.StartAsync();
        return new RunningHost(host);
    }

    /// <summary>A task hub name of its own for each test, so tests sharing one Azurite never see each other's work.</summary>
    public static string UniqueHubName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}

internal sealed class RunningHost(IHost host) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;

    public DurableTaskClient Client => host.Services.GetRequiredService<DurableTaskClient>();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }
}
