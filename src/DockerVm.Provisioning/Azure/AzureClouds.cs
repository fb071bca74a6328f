using Azure.Identity;
using Azure.ResourceManager;

namespace DockerVm.Provisioning.Azure;

/// <summary>Maps a cloud name (the names the DockerExtension's <c>azure-environment</c> setting also uses) to its
/// ARM environment and Entra authority, applying the endpoint/audience overrides of <see cref="AzureOptions"/>.</summary>
public static class AzureClouds
{
    public const string AzureCloud = nameof(AzureCloud);
    public const string AzureChinaCloud = nameof(AzureChinaCloud);
    public const string AzureUSGovernment = nameof(AzureUSGovernment);

    public static ArmEnvironment GetArmEnvironment(AzureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cloud = options.Cloud switch
        {
            AzureChinaCloud => ArmEnvironment.AzureChina,
            AzureUSGovernment => ArmEnvironment.AzureGovernment,
            _ => ArmEnvironment.AzurePublicCloud,
        };
        if (options.ResourceManagerEndpoint is null && options.ResourceManagerAudience is null)
        {
            return cloud;
        }

        // Azure.Core appends "/.default" to the audience: a trailing slash would make a scope the token service rejects.
        var audience = (options.ResourceManagerAudience ?? options.ResourceManagerEndpoint?.ToString() ?? cloud.Audience).TrimEnd('/');
        return new ArmEnvironment(options.ResourceManagerEndpoint ?? cloud.Endpoint, audience);
    }

    public static Uri GetAuthorityHost(AzureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Cloud switch
        {
            AzureChinaCloud => AzureAuthorityHosts.AzureChina,
            AzureUSGovernment => AzureAuthorityHosts.AzureGovernment,
            _ => AzureAuthorityHosts.AzurePublicCloud,
        };
    }
}
