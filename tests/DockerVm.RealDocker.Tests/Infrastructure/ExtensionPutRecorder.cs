using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;

namespace DockerVm.RealDocker.Tests.Infrastructure;

/// <summary>
/// Keeps the body of every extension PUT the workflow's ARM client sends, by extension name: the settings and
/// protected settings exactly as the activities built them, which the tests then hand to the real handlers' logic.
/// </summary>
internal sealed class ExtensionPutRecorder : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, JsonObject> _bodies = new(StringComparer.OrdinalIgnoreCase);

    public JsonObject Properties(string extensionName) =>
        _bodies.TryGetValue(extensionName, out var body) ? (JsonObject)body["properties"]!
        : throw new InvalidOperationException($"No PUT of extension '{extensionName}' was sent.");

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var path = message.Request.Uri.Path;
        var marker = path.LastIndexOf("/extensions/", StringComparison.OrdinalIgnoreCase);
        if (message.Request.Method != RequestMethod.Put || marker < 0 || message.Request.Content is not { } content)
        {
            return;
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer, CancellationToken.None);
        _bodies[path[(marker + "/extensions/".Length)..]] = JsonNode.Parse(buffer.ToArray())!.AsObject();
    }
}
