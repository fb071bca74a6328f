using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Callbacks;

public static class CallbackServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICallbackSender"/>, <see cref="CallbackOptions"/> (section <c>Callbacks</c>, validated on
    /// start) and the named HTTP client whose connections go only to addresses <see cref="CallbackUrlGuard"/> approved.
    /// </summary>
    public static IServiceCollection AddDockerVmCallbacks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CallbackOptions>, CallbackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.TryAddSingleton<CallbackUrlGuard>();
        services.AddHttpClient(CallbackSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<CallbackUrlGuard>().ConnectAsync,

                // A proxy would make the guarded connection go to the proxy, and a redirect could point anywhere.
                UseProxy = false,
                AllowAutoRedirect = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            })
            // The default handler logs full URLs; callback URLs may carry a receiver's token. CallbackSender logs the host.
            .RemoveAllLoggers();
        services.TryAddSingleton<ICallbackSender, CallbackSender>();
        return services;
    }
}
