using System.Net;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>Resolves a host name to addresses; a seam so tests can simulate DNS (including rebinding).</summary>
public interface IHostAddressResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
