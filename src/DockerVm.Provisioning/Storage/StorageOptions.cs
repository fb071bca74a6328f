using System.ComponentModel.DataAnnotations;

namespace DockerVm.Provisioning.Storage;

/// <summary>
/// Where the app's records live: the same account and keys as the Functions host (<c>AzureWebJobsStorage</c> as a
/// connection string locally, or <c>AzureWebJobsStorage__tableServiceUri</c> with the managed identity in Azure).
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    /// <summary>A connection string (<c>UseDevelopmentStorage=true</c> or Azurite's), when storage is not identity-based.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table endpoint of an identity-based connection.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The task hub's name; table names start with it.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public string TaskHubName { get; set; } = "DockerVmHub";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return new ValidationResult(
                "AzureWebJobsStorage must be a connection string or set AzureWebJobsStorage__tableServiceUri (identity-based).",
                [nameof(ConnectionString)]);
        }
    }
}
