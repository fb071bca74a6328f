namespace DockerVm.Emulator.Docker;

/// <summary>
/// An Engine API answer as Go's net/http puts it on the wire: the handler's headers (written sorted by name), then Date,
/// then Content-Length and the sniffed Content-Type where the handler set neither.
/// </summary>
/// <param name="SniffedContentType">What http.DetectContentType would add when the handler sets no Content-Type.</param>
internal sealed record DockerApiResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body, string? SniffedContentType = null);
