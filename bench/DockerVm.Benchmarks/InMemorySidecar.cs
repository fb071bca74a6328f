using System.Net;
using System.Net.Sockets;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    public static async Task<InMemorySidecar> StartAsync(int concurrency, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var service = new InMemoryOrchestrationService(loggerFactory);
        var address = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(InMemorySidecar).Assembly.GetName().Name, Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseUrls(address.ToString());
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<IOrchestrationService>(new ConcurrencyLimits(service, concurrency));
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
    private sealed class ConcurrencyLimits(IOrchestrationService inner, int limit) : IOrchestrationService
    {
        public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

        public int MaxConcurrentTaskOrchestrationWorkItems => limit;

        public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

        public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

        public int MaxConcurrentTaskActivityWorkItems => limit;

        public Task StartAsync() => inner.StartAsync();

        public Task StopAsync() => inner.StopAsync();

        public Task StopAsync(bool isForced) => inner.StopAsync(isForced);

        public Task CreateAsync() => inner.CreateAsync();

        public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

        public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

        public Task DeleteAsync() => inner.DeleteAsync();

        public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

        public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
            inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

        public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

        public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

        public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
            inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

        public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

        public Task CompleteTaskOrchestrationWorkItemAsync(
            TaskOrchestrationWorkItem workItem,
            OrchestrationRuntimeState newOrchestrationRuntimeState,
            IList<TaskMessage> outboundMessages,
            IList<TaskMessage> orchestratorMessages,
            IList<TaskMessage> timerMessages,
            TaskMessage continuedAsNewMessage,
            OrchestrationState orchestrationState) =>
            inner.CompleteTaskOrchestrationWorkItemAsync(
                workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

        public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

        public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

        public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
            inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

        public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

        public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
            inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

        public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
    }
}
