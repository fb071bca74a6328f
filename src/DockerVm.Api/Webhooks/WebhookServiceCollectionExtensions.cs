using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DockerVm.Api.Webhooks;

/// <summary>Registers the inbound webhook verifier, its options and its replay store.</summary>
internal static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// The replay store is the app's record store (<c>AddDockerVmProvisioning</c> registers it over
    /// <c>AzureWebJobsStorage</c>), so a replay is refused on whichever instance it lands.
    /// </summary>
    public static IServiceCollection AddDockerVmWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookReplayStore, RecordStoreWebhookReplayStore>();
        services.AddOptions<InboundWebhookOptions>()
            .BindConfiguration(InboundWebhookOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboundWebhookOptions>, InboundWebhookOptionsValidator>());
        services.TryAddSingleton<InboundWebhookVerifier>();
        return services;
    }
}
