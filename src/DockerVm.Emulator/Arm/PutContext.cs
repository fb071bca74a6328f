using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>What a PUT handler sees: the request, the existing resource (update) and the resource being built.</summary>
internal sealed class PutContext
{
    public required ArmRuntime Runtime { get; init; }

    public required JsonObject Request { get; init; }

    public required ArmResource Resource { get; init; }

    public ArmResource? Existing { get; init; }

    public ArmResource? Parent { get; init; }

    public JsonObject RequestProperties => Request["properties"] as JsonObject ?? [];
}
