using System.ComponentModel.DataAnnotations;

namespace DockerVm.Provisioning.Azure;

/// <summary>Where and as whom the workflow talks to Azure; section <c>Azure</c>.</summary>
public sealed class AzureOptions
{
    public const string SectionName = "Azure";

    [Required]
    public string SubscriptionId { get; set; } = "";

    /// <summary><c>AzureCloud</c> (default), <c>AzureChinaCloud</c> or <c>AzureUSGovernment</c>.</summary>
    [Required]
    [AllowedValues(AzureClouds.AzureCloud, AzureClouds.AzureChinaCloud, AzureClouds.AzureUSGovernment)]
    public string Cloud { get; set; } = AzureClouds.AzureCloud;

    /// <summary>Overrides the cloud's ARM endpoint (the local emulator).</summary>
    public Uri? ResourceManagerEndpoint { get; set; }

    /// <summary>Overrides the cloud's ARM token audience; used without a trailing slash.</summary>
    public string? ResourceManagerAudience { get; set; }

    [Required]
    public Uri? KeyVaultUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; null uses the system-assigned one or developer credentials.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Local only: PEM of the one server certificate the Azure clients accept (the emulator's).</summary>
    public string? PinnedCertificatePath { get; set; }
}
