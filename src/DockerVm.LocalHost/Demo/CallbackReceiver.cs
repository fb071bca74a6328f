using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DockerVm.Provisioning.Callbacks;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace DockerVm.LocalHost.Demo;

/// <summary>
/// A caller's webhook endpoint in miniature, for the demo and the end-to-end tests: accepts CloudEvents POSTed to
/// <c>/callbacks</c>, verifies each Standard Webhooks signature with the shared secret, answers 204 (valid) or 401,
/// and records what arrived. Optionally appends every verified event as one JSON line to a file.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    public const string CommandName = "callback-receiver";
    public const string Path = "/callbacks";

    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedCallback> received = new();

    private CallbackReceiver(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>Where callers should POST, e.g. <c>http://127.0.0.1:7072/callbacks</c>.</summary>
    public Uri Url { get; }

    /// <summary>Every request received, verified or not, in arrival order.</summary>
    public IReadOnlyList<ReceivedCallback> Received => [.. received];

    /// <summary>When set, the receiver answers this status instead of handling callbacks (to act as a receiver that is down).</summary>
    public HttpStatusCode? ForcedStatus { get; set; }

    public static async Task<CallbackReceiver> StartAsync(int port, string signingSecret, string? outputFile = null, CancellationToken cancellationToken = default)
    {
        var webhook = new StandardWebhook(signingSecret);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();

        CallbackReceiver? receiver = null;
        app.MapPost(Path, async (HttpContext context) =>
        {
            if (receiver!.ForcedStatus is { } forced)
            {
                return Results.StatusCode((int)forced);
            }

            using var reader = new StreamReader(context.Request.Body);
            var payload = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            var callback = Verify(webhook, payload, context.Request.Headers);
            receiver.received.Enqueue(callback);
            if (callback.Verified && outputFile is not null)
            {
                await File.AppendAllTextAsync(outputFile, callback.ToJsonLine() + Environment.NewLine, context.RequestAborted).ConfigureAwait(false);
            }

            return callback.Verified ? Results.NoContent() : Results.Unauthorized();
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var boundPort = new Uri(app.Urls.First()).Port;
        receiver = new CallbackReceiver(app, new Uri($"http://127.0.0.1:{boundPort}{Path}"));
        return receiver;
    }

    private static ReceivedCallback Verify(StandardWebhook webhook, string payload, IHeaderDictionary headers)
    {
        var id = headers[WebhookHeaders.Id].FirstOrDefault();
        JsonNode? body = null;
        try
        {
            body = JsonNode.Parse(payload);
        }
        catch (JsonException)
        {
            // Recorded as received but unparseable; the signature check below decides whether it counts.
        }

        try
        {
            webhook.Verify(payload, headers);
            return new ReceivedCallback(true, id, body?["type"]?.GetValue<string>(), body, payload, null);
        }
        catch (WebhookVerificationException ex)
        {
            return new ReceivedCallback(false, id, body?["type"]?.GetValue<string>(), body, payload, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary><c>callback-receiver --port 7072 --output .local/demo/callbacks.jsonl</c>; the secret comes from the environment.</summary>
    public static async Task<int> RunCommandAsync(string[] args)
    {
        var port = new Option<int>("--port") { Description = "Loopback port to listen on.", DefaultValueFactory = _ => 7072 };
        var output = new Option<string?>("--output") { Description = "Append each verified event as a JSON line to this file." };
        var secretVariable = new Option<string>("--secret-env")
        {
            Description = "Environment variable holding the Standard Webhooks secret (whsec_…); never passed on the command line.",
            DefaultValueFactory = _ => "Callbacks__SigningKeys__default",
        };
        var command = new RootCommand("Receives and verifies signed CloudEvents callbacks (demo receiver).") { port, output, secretVariable };
        command.SetAction(async (parse, ct) =>
        {
            var secret = Environment.GetEnvironmentVariable(parse.GetValue(secretVariable)!);
            if (string.IsNullOrEmpty(secret))
            {
                await Console.Error.WriteLineAsync($"callback-receiver: environment variable {parse.GetValue(secretVariable)} is not set").ConfigureAwait(false);
                return 2;
            }

            await using var receiver = await StartAsync(parse.GetValue(port), secret, parse.GetValue(output), ct).ConfigureAwait(false);
            Console.WriteLine($"callback receiver listening on {receiver.Url}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: stop quietly.
            }

            return 0;
        });
        return await command.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
