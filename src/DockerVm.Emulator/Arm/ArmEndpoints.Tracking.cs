namespace DockerVm.Emulator.Arm;

/// <summary>
/// Starts tracking the three kinds of long-running operation. Requests call these, and so does a restart that restores
/// operations still in progress from the state file (same id, start and due time, so pollers carry on unaware).
/// </summary>
internal static partial class ArmEndpoints
{
    /// <summary>A create/update: on completion the type provisions the resource (daemons, addresses) or fails it.</summary>
    internal static AsyncOperation TrackProvisioning(
        ArmRuntime rt, ResourceType type, ArmResource resource, DateTimeOffset start, DateTimeOffset due, AzureError? forced, string? id = null)
    {
        AsyncOperation? operation = null;
        operation = rt.Store.Track(new AsyncOperation
        {
            Id = id ?? ResourceStore.NewOperationId(),
            ResourceId = resource.Id,
            ProviderNamespace = type.Namespace,
            Location = resource.Location,
            Start = start,
            Due = due,
            ForcedFailure = forced,
            Prerequisite = resource.Preparation,
            Kind = OperationKind.Provision,
            Complete = failure =>
            {
                if (!ReferenceEquals(rt.Store.Find(resource.Id), resource) || resource.ActiveOperationId != operation!.Id)
                {
                    return failure; // superseded by a newer PUT or a DELETE
                }

                var error = failure ?? type.Provision(rt, resource);
                resource.ProvisioningState = error is null ? "Succeeded" : "Failed";
                resource.FailureError = error;
                if (error is not null)
                {
                    resource.StatusMessage = error.Message;
                }

                resource.ActiveOperationId = null;
                return error;
            },
        });
        resource.ActiveOperationId = operation.Id;
        return operation;
    }

    /// <summary>A resource delete: on completion the resource and its children are gone; a failure restores its state.</summary>
    internal static AsyncOperation TrackDeletion(
        ArmRuntime rt, ResourceType type, ArmResource resource, string previousState, DateTimeOffset start, DateTimeOffset due, AzureError? forced, string? id = null)
    {
        var operation = rt.Store.Track(new AsyncOperation
        {
            Id = id ?? ResourceStore.NewOperationId(),
            ResourceId = resource.Id,
            ProviderNamespace = type.Namespace,
            Location = resource.Location,
            Start = start,
            Due = due,
            IsDelete = true,
            Kind = OperationKind.Delete,
            PreviousState = previousState,
            ForcedFailure = forced,
            Complete = failure =>
            {
                if (failure is not null)
                {
                    resource.Deleting = false;
                    resource.ProvisioningState = previousState == "Succeeded" ? "Failed" : previousState;
                    resource.ActiveOperationId = null;
                    return failure;
                }

                if (ReferenceEquals(rt.Store.Find(resource.Id), resource))
                {
                    rt.DeleteNow(resource);
                }

                return null;
            },
        });
        resource.ActiveOperationId = operation.Id;
        return operation;
    }

    /// <summary>A resource group delete: dependents first, so in-use checks never block it.</summary>
    internal static AsyncOperation TrackGroupDeletion(
        ArmRuntime rt, ArmResource group, DateTimeOffset start, DateTimeOffset due, AzureError? forced, string? id = null)
    {
        var operation = rt.Store.Track(new AsyncOperation
        {
            Id = id ?? ResourceStore.NewOperationId(),
            ResourceId = group.Id,
            ProviderNamespace = "Microsoft.Resources",
            Location = group.Location,
            Start = start,
            Due = due,
            IsDelete = true,
            Kind = OperationKind.ResourceGroupDelete,
            ForcedFailure = forced,
            Complete = failure =>
            {
                if (failure is not null)
                {
                    group.Deleting = false;
                    return failure;
                }

                foreach (var resource in rt.Store.InGroup(group.Name).Where(r => r.ParentId is null).OrderBy(r => DeleteOrder(r.Type)).ToList())
                {
                    rt.DeleteNow(resource);
                }

                rt.Store.RemoveGroup(group.Name);
                return null;
            },
        });
        group.ActiveOperationId = operation.Id;
        return operation;
    }
}
