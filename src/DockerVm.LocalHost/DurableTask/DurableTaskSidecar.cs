using System.Net;
using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Options;

namespace DockerVm.LocalHost.DurableTask;

/// <summary>
/// The Durable Task backend of the local host: the Azure Storage orchestration service (Azurite locally) behind the
/// gRPC sidecar protocol that the Microsoft.DurableTask worker and client speak, served on a private loopback port.
/// The sidecar runs in its own small web host so that its gRPC endpoint never shares a port with the public API.
/// Register it before the worker: hosted services start in registration order, and the worker needs the sidecar.
/// </summary>
internal sealed partial class DurableTaskSidecar : IHostedService, IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService storage;
    private readonly SidecarCompatibleOrchestrationService compatible;
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger<DurableTaskSidecar> logger;
    private readonly int port;
    private readonly string taskHubName;
    private WebApplication? server;

    public DurableTaskSidecar(
        AzureStorageOrchestrationService storage,
        SidecarCompatibleOrchestrationService compatible,
        IOptions<LocalDurableTaskOptions> options,
        IOptions<TaskHubStorageOptions> hub,
        ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hub);
        taskHubName = hub.Value.TaskHubName;
        this.storage = storage;
        this.compatible = compatible;
        this.loggerFactory = loggerFactory;
        logger = loggerFactory.CreateLogger<DurableTaskSidecar>();
        port = options.Value.SidecarPort == 0 ? FreeLoopbackPort() : options.Value.SidecarPort;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>gRPC address of the sidecar; fixed at construction so worker and client options can read it early.</summary>
    public Uri Address { get; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The sidecar never creates the task hub (queues, tables, lease blobs): do it before anything polls.
        await storage.CreateIfNotExistsAsync().ConfigureAwait(false);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DurableTaskSidecar).Assembly.GetName().Name,
            Args = [],
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);

        // The outer host owns the console (Ctrl-C, start/stop messages) and the URLs in configuration.
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.WebHost.UseUrls(Address.ToString());
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(compatible);

        // Queries and purges go straight to the provider: the sidecar checks the client for the query/purge interfaces.
        builder.Services.AddSingleton<IOrchestrationServiceClient>(storage);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        server = builder.Build();
        server.MapGrpcService<TaskHubGrpcServer>();
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        LogSidecarStarted(logger, Address, taskHubName);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            server = null;
        }
    }

    private sealed class NoopHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Durable Task sidecar listening on {Address} for task hub {TaskHubName}")]
    static partial void LogSidecarStarted(ILogger logger, Uri address, string taskHubName);
}
