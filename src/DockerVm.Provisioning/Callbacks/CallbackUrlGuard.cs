using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace DockerVm.Provisioning.Callbacks;

/// <summary>
/// Keeps callbacks away from loopback, private, link-local, CGNAT, metadata, multicast and unspecified addresses,
/// unless the host or address is in <see cref="CallbackOptions.AllowedLocalHosts"/> (local mode).
/// <see cref="ConnectAsync"/> is the HTTP client's connect callback: it resolves, checks every address and connects to
/// a checked address itself, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
/// </summary>
public sealed class CallbackUrlGuard(IOptionsMonitor<CallbackOptions> options, IHostAddressResolver resolver)
{
    /// <summary>Static checks before any request: absolute, https (http only for allowlisted hosts), no credentials.</summary>
    public string? WhyRefused(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return "the callback URL is not absolute";
        }

        var allowed = options.CurrentValue.IsAllowedLocalHost(url.IdnHost);
        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && allowed))
        {
            return $"scheme '{url.Scheme}' is not allowed (https only)";
        }

        return string.IsNullOrEmpty(url.UserInfo) ? null : "the callback URL carries credentials";
    }

    /// <summary>
    /// The addresses of <paramref name="host"/> that may be called. Throws <see cref="CallbackUrlRefusedException"/> when
    /// the name does not resolve or ANY of its addresses is refused (a mixed answer is an attack or a misconfiguration).
    /// </summary>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var current = options.CurrentValue;
        var bare = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(bare, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolver.ResolveAsync(bare, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new CallbackUrlRefusedException($"callback host '{bare}' does not resolve", ex);
            }
        }

        if (addresses.Length == 0)
        {
            throw new CallbackUrlRefusedException($"callback host '{bare}' does not resolve");
        }

        if (current.IsAllowedLocalHost(bare))
        {
            return addresses;
        }

        foreach (var address in addresses)
        {
            if (AddressPolicy.WhyBlocked(address) is { } reason && !current.IsAllowedLocalHost(address.ToString()))
            {
                throw new CallbackUrlRefusedException($"callback host '{bare}' resolves to a {reason} ({address})");
            }
        }

        return addresses;
    }

    /// <summary>For <see cref="SocketsHttpHandler.ConnectCallback"/>: connect only to addresses checked in this very call.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await ResolveAllowedAsync(context.DnsEndPoint.Host, cancellationToken);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostUnreachable);
    }
}
