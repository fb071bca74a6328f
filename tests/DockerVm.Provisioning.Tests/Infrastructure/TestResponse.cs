using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace DockerVm.Provisioning.Tests.Infrastructure;

/// <summary>An HTTP response as Azure.Core hands it to callers (status, headers, buffered body), built by hand.</summary>
internal sealed class TestResponse(int status, string? body = null, params (string Name, string Value)[] headers) : Response
{
    private readonly Dictionary<string, string> headerValues = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);

    public override int Status => status;

    public override string ReasonPhrase => "";

    public override Stream? ContentStream { get; set; } = body is null ? null : new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));

    public override string ClientRequestId { get; set; } = "";

    public override void Dispose()
    {
    }

    protected override bool ContainsHeader(string name) => headerValues.ContainsKey(name);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => headerValues.Select(h => new HttpHeader(h.Key, h.Value));

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value) => headerValues.TryGetValue(name, out value);

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        values = headerValues.TryGetValue(name, out var value) ? [value] : null;
        return values is not null;
    }
}
