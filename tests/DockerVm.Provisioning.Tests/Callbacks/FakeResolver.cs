using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DockerVm.Provisioning.Callbacks;

namespace DockerVm.Provisioning.Tests.Callbacks;

/// <summary>Scripted DNS: each name has a list of answers, one per lookup, the last one repeating (rebinding tests).</summary>
internal sealed class FakeResolver : IHostAddressResolver, System.Collections.IEnumerable
{
    private readonly ConcurrentDictionary<string, IPAddress[][]> _answers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _lookups = new(StringComparer.OrdinalIgnoreCase);

    public IPAddress[][] this[string host]
    {
        get => _answers[host];
        set => _answers[host] = value;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (!_answers.TryGetValue(host, out var answers))
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var n = _lookups.AddOrUpdate(host, 0, (_, c) => c + 1);
        return Task.FromResult(answers[Math.Min(n, answers.Length - 1)]);
    }

    public System.Collections.IEnumerator GetEnumerator() => _answers.GetEnumerator();
}
