using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Arm;

/// <summary>An error in Azure's wire shape: <c>{"error":{"code","message","target"}}</c>.</summary>
internal sealed record AzureError(string Code, string Message, string? Target = null)
{
    public JsonObject ToJson()
    {
        var error = new JsonObject { ["code"] = Code, ["message"] = Message };
        if (Target is not null)
        {
            error["target"] = Target;
        }

        return error;
    }
}
