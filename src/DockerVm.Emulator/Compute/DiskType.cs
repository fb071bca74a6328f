using DockerVm.Emulator.Arm;

namespace DockerVm.Emulator.Compute;

/// <summary>Microsoft.Compute/disks: OS disks created with VMs; readable, listable, deletable when unattached.</summary>
internal sealed class DiskType : ResourceType
{
    public const string Type = "Microsoft.Compute/disks";

    public override string Namespace => "Microsoft.Compute";

    public override string TypeName => "disks";

    public override IReadOnlyList<string> ApiVersions => Arm.ApiVersions.Disks;

    public override bool CanCreate => false;

    public override void Prepare(PutContext put)
    {
        // Updates keep the platform-created document; only tags change.
        put.Resource.Body = (System.Text.Json.Nodes.JsonObject)put.Existing!.Body.DeepClone();
        put.Resource.Body["id"] = put.Resource.Id;
        if (put.Request["tags"] is { } tags)
        {
            put.Resource.Body["tags"] = tags.DeepClone();
        }
    }

    public override void EnsureDeletable(ArmRuntime runtime, ArmResource resource)
    {
        if ((string?)resource.Body["managedBy"] is { } owner && runtime.Store.Find(owner) is not null)
        {
            throw AzureErrorException.Conflict("OperationNotAllowed", $"Disk {resource.Name} is attached to VM {owner}.");
        }
    }
}
