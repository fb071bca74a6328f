using Azure.Data.Tables;
using DockerVm.Provisioning.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Storage;

/// <summary>Registers the app's record store over the Functions host's own storage account.</summary>
internal static class StorageRegistration
{
    public static IServiceCollection AddDockerVmStorage(this IServiceCollection services)
    {
        // The Functions host reads AzureWebJobsStorage either as a string or as a section; binding cannot do both.
        services.AddOptions<StorageOptions>()
            .Configure<IConfiguration>((options, configuration) =>
            {
                options.ConnectionString = configuration["AzureWebJobsStorage"];
                options.TableServiceUri = configuration["AzureWebJobsStorage:tableServiceUri"] is { Length: > 0 } uri ? new Uri(uri) : null;
                options.TaskHubName = configuration["TaskHubName"] is { Length: > 0 } hub ? hub : options.TaskHubName;
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return string.IsNullOrWhiteSpace(options.ConnectionString)
                ? new TableServiceClient(options.TableServiceUri, AzureClientRegistration.CreateCredential(provider))
                : new TableServiceClient(options.ConnectionString);
        });
        services.TryAddSingleton<IRecordStore, TableRecordStore>();
        return services;
    }
}
