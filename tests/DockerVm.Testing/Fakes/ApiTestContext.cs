using System.Text;
using DockerVm.Api;
using DockerVm.Api.Http;
using DockerVm.Provisioning.Storage;
using DockerVm.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DockerVm.Testing;

/// <summary>The HTTP API wired as a host wires it (<c>AddDockerVmApi</c>, and ProblemDetails from the service defaults), over a fake Durable Task client and clock.</summary>
public sealed class ApiTestContext : IAsyncDisposable
{
    public const string WebhookSecret = "whsec_MfKQ9r4OrVlYAKE4QxSvsCUQvxgwauQpb24FHGpu3Ck=";

    private ApiTestContext(ServiceProvider services, FakeTimeProvider time)
    {
        Services = services;
        Time = time;
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public FakeDurableTaskClient Client { get; } = new();

    /// <summary>The app's records (hosts, idempotency keys, webhook ids), in memory.</summary>
    public InMemoryRecordStore Records => (InMemoryRecordStore)Services.GetRequiredService<IRecordStore>();

    public DockerVmHttpHandlers Handlers => Services.GetRequiredService<DockerVmHttpHandlers>();

    public static Dictionary<string, string?> DefaultSettings() => new()
    {
        ["Azure:SubscriptionId"] = "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ["Azure:KeyVaultUri"] = "https://kv-test.vault.azure.net/",
        ["Webhooks:SigningSecret"] = WebhookSecret,
        ["Provisioning:RequestQueueName"] = "docker-vm-requests",
    };

    public static ApiTestContext Create(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var settings = DefaultSettings();
        configure?.Invoke(settings);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<TimeProvider>(time)
            .AddSingleton<IRecordStore, InMemoryRecordStore>();
        collection.AddDockerVmApi();
        collection.AddDockerVmProblemDetails();
        services?.Invoke(collection);
        return new ApiTestContext(collection.BuildServiceProvider(), time);
    }

    public HttpRequest Request(
        string method,
        string path,
        string? body = null,
        string? contentType = "application/json",
        IReadOnlyDictionary<string, string>? headers = null,
        string? query = null)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.Method = method;
        context.Request.Path = path;
        if (query is not null)
        {
            context.Request.QueryString = new QueryString(query);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }

        context.Request.ContentType = contentType;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Runs the result against the request's context, as the host would after the handler returns.</summary>
    public static async Task<HttpOutcome> ExecuteAsync(IResult result, HttpRequest request)
    {
        var context = request.HttpContext;
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        var body = await reader.ReadToEndAsync();
        return new HttpOutcome(context.Response.StatusCode, context.Response.Headers, context.Response.ContentType ?? "", body);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Services.DisposeAsync();
    }
}
