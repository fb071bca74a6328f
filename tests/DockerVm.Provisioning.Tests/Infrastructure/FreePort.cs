using System.Net;
using System.Net.Sockets;

namespace DockerVm.Provisioning.Tests.Infrastructure;

internal static class FreePort
{
    /// <summary>A port the OS just handed out: far less likely to collide than the test host's random 30000–40000 pick
    /// when many hosts start in parallel.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
