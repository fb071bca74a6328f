using System.Text.Json.Nodes;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Arm;

/// <summary>One ARM resource type the emulator serves: validation, provisioning side effects, delete rules.</summary>
internal abstract class ResourceType
{
    public abstract string Namespace { get; }

    /// <summary>Type below the namespace, e.g. <c>virtualMachines</c> or <c>virtualMachines/extensions</c>.</summary>
    public abstract string TypeName { get; }

    public string FullType => $"{Namespace}/{TypeName}";

    public abstract IReadOnlyList<string> ApiVersions { get; }

    public bool IsChild => TypeName.Contains('/', StringComparison.Ordinal);

    /// <summary>provisioningState while a create is in progress (Compute says Creating, Network Updating).</summary>
    public virtual string CreatingState => "Creating";

    public virtual bool CanCreate => true;

    /// <summary>Inline child collections that can be PUT/DELETEd on their own URL (subnets, securityRules).</summary>
    public virtual IReadOnlyList<string> WritableChildren => [];

    public virtual TimeSpan CreateDuration(ArmRuntime runtime, ArmResource resource) => runtime.Durations.Network;

    public virtual TimeSpan DeleteDuration(LroDurations durations) => durations.Delete;

    public virtual void ValidateName(string name) => ArmNames.ValidateNetworkStyle(name, TypeName);

    /// <summary>Validates the request and fills <see cref="PutContext.Resource"/>'s body. Throws AzureErrorException.</summary>
    public abstract void Prepare(PutContext put);

    /// <summary>Runs when the create/update operation completes; returns an error to fail it.</summary>
    public virtual AzureError? Provision(ArmRuntime runtime, ArmResource resource) => null;

    /// <summary>Throws (409) when another resource still uses this one.</summary>
    public virtual void EnsureDeletable(ArmRuntime runtime, ArmResource resource)
    {
    }

    /// <summary>
    /// Rebuilds what the resource holds outside the store after a restart from the state file (emulated daemons, work
    /// an operation in progress waits for). Runs once every resource is back, before operations are tracked again.
    /// </summary>
    public virtual void Restored(ArmRuntime runtime, ArmResource resource)
    {
    }

    /// <summary>Releases what the resource held (references, addresses, daemons) once it is gone.</summary>
    public virtual void Deleted(ArmRuntime runtime, ArmResource resource)
    {
    }

    public virtual JsonObject Render(ArmRuntime runtime, ArmResource resource, HttpRequest request) =>
        (JsonObject)resource.Body.DeepClone();

    /// <summary>GET/POST on a sub-path that is not a child type (instanceView, start, powerOff...).</summary>
    public virtual JsonNode? Action(ArmRuntime runtime, ArmResource resource, string method, string action) =>
        throw AzureErrorException.NotFound("NotFound", $"The requested action '{action}' is not supported on type '{FullType}'.");
}
