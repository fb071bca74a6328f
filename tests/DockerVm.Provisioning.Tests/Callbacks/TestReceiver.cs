using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DockerVm.Provisioning.Tests.Callbacks;

/// <summary>A loopback HTTP receiver that answers with scripted responses and records every request.</summary>
internal sealed class TestReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Func<HttpListenerResponse, Task>> _script = new();
    private readonly Task _loop;

    public TestReceiver()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/docker?token=abc");

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Responses for the next requests in order; once used up, 200.</summary>
    public void Respond(params HttpStatusCode[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(r =>
            {
                r.StatusCode = (int)status;
                return Task.CompletedTask;
            });
        }
    }

    public void RespondWithRetryAfter(HttpStatusCode status, int seconds) => _script.Enqueue(r =>
    {
        r.StatusCode = (int)status;
        r.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.CompletedTask;
    });

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = new HeaderDictionary();
            foreach (var name in context.Request.Headers.AllKeys)
            {
                headers[name!] = context.Request.Headers[name];
            }

            Requests.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.ContentType, headers, body, DateTimeOffset.UtcNow));
            if (_script.TryDequeue(out var respond))
            {
                await respond(context.Response);
            }
            else
            {
                context.Response.StatusCode = 200;
            }

            context.Response.Close();
        }
    }
}

internal sealed record ReceivedRequest(string Method, string? ContentType, HeaderDictionary Headers, string Body, DateTimeOffset At);
