namespace DockerVm.Emulator.Arm;

/// <summary>
/// An ARM long-running operation. It completes lazily: whoever observes the store after <see cref="Due"/>
/// (a poll, a GET of the resource, the background ticker) runs <see cref="Complete"/> once, under the store lock.
/// </summary>
internal sealed class AsyncOperation
{
    public required string Id { get; init; }

    public required string ResourceId { get; init; }

    /// <summary>Provider namespace whose operation URL serves this operation (Microsoft.Compute, ...).</summary>
    public required string ProviderNamespace { get; init; }

    public required string Location { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset Due { get; set; }

    /// <summary>Applies the outcome to the resource; receives the injected failure (if any), returns the final error.</summary>
    public required Func<AzureError?, AzureError?> Complete { get; init; }

    /// <summary>Injected by a fault rule: the operation ends Failed with this error whatever the handler says.</summary>
    public AzureError? ForcedFailure { get; init; }

    public bool IsDelete { get; init; }

    public OperationKind Kind { get; init; }

    /// <summary>For a resource delete: the provisioningState to return to if the delete fails.</summary>
    public string? PreviousState { get; init; }

    /// <summary>Work the completion needs, running off the lock; the operation stays InProgress until it is done.</summary>
    public Task? Prerequisite { get; init; }

    public OperationStatus Status { get; set; } = OperationStatus.InProgress;

    public AzureError? Error { get; set; }

    public DateTimeOffset? End { get; set; }
}
