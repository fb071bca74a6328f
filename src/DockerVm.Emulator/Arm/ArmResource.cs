using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>A stored ARM resource: the document ARM returns plus what it never returns (protected settings).</summary>
internal sealed class ArmResource
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public required string SubscriptionId { get; init; }

    public required string ResourceGroup { get; init; }

    public required JsonObject Body { get; set; }

    /// <summary>Only for child resources (extensions, subnets): the parent's id.</summary>
    public string? ParentId { get; init; }

    /// <summary>Settings accepted on PUT and never returned (extension protectedSettings).</summary>
    public JsonObject? ProtectedSettings { get; set; }

    public string? ActiveOperationId { get; set; }

    /// <summary>Expensive preparation (certificate validation) run off the store lock; the operation completes after it.</summary>
    public Task? Preparation { get; set; }

    public bool Deleting { get; set; }

    /// <summary>VM power state (running, stopped, deallocated).</summary>
    public string PowerState { get; set; } = "running";

    /// <summary>Why the last operation failed (shown in the instance view as ProvisioningState/failed/{code}).</summary>
    public AzureError? FailureError { get; set; }

    /// <summary>Last provisioning message (extension output or error), shown in the instance view.</summary>
    public string? StatusMessage { get; set; }

    public DateTimeOffset Created { get; init; }

    public string Location => (string?)Body["location"] ?? string.Empty;

    public JsonObject Properties
    {
        get
        {
            if (Body["properties"] is not JsonObject properties)
            {
                properties = [];
                Body["properties"] = properties;
            }

            return properties;
        }
    }

    public string ProvisioningState
    {
        get => (string?)Properties["provisioningState"] ?? "Succeeded";
        set => Properties["provisioningState"] = value;
    }
}
