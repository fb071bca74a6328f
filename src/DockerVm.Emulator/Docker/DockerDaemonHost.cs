using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DockerVm.Emulator.Hosting;

namespace DockerVm.Emulator.Docker;

/// <summary>Starts and stops emulated Docker daemons, one per VM extension that installed Docker.</summary>
internal sealed class DockerDaemonHost(ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, EmulatedDockerDaemon> _daemons = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _daemons.Count;

    /// <summary>
    /// Whether a connection from a source to a daemon's endpoint gets through the network (the VM's NSGs, see
    /// Network/NsgEvaluator), by the id of the daemon's owner. Asked on every connection, so it holds for daemons started
    /// at any time, restored ones included. Null lets everything in (a host without ARM state).
    /// </summary>
    public Func<string, IPEndPoint, IPEndPoint, bool>? Admission { get; set; }

    public IReadOnlyList<DockerDaemonInfo> Daemons =>
        [.. _daemons.Select(kv => new DockerDaemonInfo(kv.Key, kv.Value.Endpoint.ToString(), kv.Value.HostName, kv.Value.Requests))];

    /// <summary>Starts a daemon for <paramref name="ownerId"/>, replacing its previous one. Throws InvalidDataException with dockerd's words.</summary>
    public void Start(string ownerId, DockerTlsMaterial material, string address, int port, DaemonIdentity identity, bool requireClientCertificate = true)
    {
        Stop(ownerId);
        var endpoint = new IPEndPoint(IPAddress.Parse(address), port);
        EmulatedDockerDaemon daemon;
        try
        {
            daemon = EmulatedDockerDaemon.Start(endpoint, material, identity, logger, source => Admission?.Invoke(ownerId, source, endpoint) ?? true, requireClientCertificate);
        }
        catch (SocketException ex)
        {
            material.Dispose();
            throw new InvalidDataException($"failed to load listeners: listen tcp {endpoint}: bind: {ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => "address already in use",
                SocketError.AddressNotAvailable => "cannot assign requested address",
                _ => ex.Message,
            }}");
        }

        _daemons[ownerId] = daemon;
        Log.DockerDaemonStarted(logger, endpoint, identity.HostName);
    }

    public void Stop(string ownerId)
    {
        if (_daemons.TryRemove(ownerId, out var daemon))
        {
            daemon.Dispose();
            Log.DockerDaemonStopped(logger, daemon.Endpoint);
        }
    }

    public void StopAll()
    {
        foreach (var owner in _daemons.Keys.ToList())
        {
            Stop(owner);
        }
    }

    public void Dispose() => StopAll();
}
