using System.Net;
using System.Net.Sockets;
using DockerVm.LocalHost.DurableTask;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DockerVm.Benchmarks;

/// <summary>
/// The in-memory orchestration service behind the gRPC sidecar, like <c>DurableTaskTestHost</c> builds it, but with
/// the service's concurrency limits raised: the in-memory service reports one work item per core, and the sidecar's
/// dispatcher sleeps 500 ms whenever that limit is reached, so the stock test host runs a batch at a fraction of an
/// orchestration per second. Worker and client connect to <see cref="Address"/> exactly as they do in the local host.
/// </summary>
internal sealed class InMemorySidecar : IAsyncDisposable
{
    private readonly WebApplication server;

    private InMemorySidecar(WebApplication server, Uri address)
    {
        this.server = server;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="decorate">Wraps the service the sidecar dispatches from (counting, for instance); none when null.</param>
    public static async Task<InMemorySidecar> StartAsync(
        int concurrency, ILoggerFactory loggerFactory, CancellationToken cancellationToken, Func<IOrchestrationService, IOrchestrationService>? decorate = null)
    {
        var service = new InMemoryOrchestrationService(loggerFactory);
        var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(InMemorySidecar).Assembly.GetName().Name, Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls(address.ToString());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        IOrchestrationService dispatched = new ConcurrencyLimits(service, concurrency);
        builder.Services.AddSingleton(decorate is null ? dispatched : decorate(dispatched));
        builder.Services.AddSingleton<IOrchestrationServiceClient>(service);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var server = builder.Build();
        server.MapGrpcService<TaskHubGrpcServer>();
        await server.StartAsync(cancellationToken);
        return new InMemorySidecar(server, address);
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Passes everything through except the two concurrency limits.</summary>
    private sealed class ConcurrencyLimits(IOrchestrationService inner, int limit) : DelegatingOrchestrationService(inner)
    {
        public override int MaxConcurrentTaskOrchestrationWorkItems => limit;

        public override int MaxConcurrentTaskActivityWorkItems => limit;
    }
}
