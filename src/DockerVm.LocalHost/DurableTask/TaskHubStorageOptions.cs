using System.ComponentModel.DataAnnotations;

namespace DockerVm.LocalHost.DurableTask;

/// <summary>
/// Where the task hub lives. Bound from the configuration root so that the local host reads exactly the keys the
/// Functions app reads (<c>AzureWebJobsStorage</c>, <c>TaskHubName</c>).
/// </summary>
public sealed class TaskHubStorageOptions
{
    /// <summary>Storage connection string; locally <c>UseDevelopmentStorage=true</c> (Azurite).</summary>
    [Required]
    public string AzureWebJobsStorage { get; set; } = string.Empty;

    /// <summary>Azure Storage task hub names are 3–45 letters or digits, starting with a letter.</summary>
    [Required]
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{2,44}$")]
    public string TaskHubName { get; set; } = "DockerVmHub";
}
