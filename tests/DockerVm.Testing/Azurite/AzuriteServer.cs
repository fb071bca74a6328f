using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DockerVm.Testing;

/// <summary>
/// A private Azurite (the repository's pinned npm package) on free loopback ports with its data in a temporary folder,
/// so tests never depend on, or disturb, an Azurite that a developer has running.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string location;

    private AzuriteServer(Process process, string location, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        this.location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>Data folder (blobs, queues, tables) of this instance.</summary>
    public string Location => location;

    /// <summary>The well-known development account on this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartAsync()
    {
        var repositoryRoot = RepositoryPaths.Root;
        var azurite = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}; run scripts/bootstrap.sh (npm ci) first.");
        }

        var location = Directory.CreateTempSubdirectory("azurite-test-").FullName;
        var ports = FreePorts(3);
        var start = new ProcessStartInfo(azurite)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--inMemoryPersistence",
            "--blobHost", "127.0.0.1", "--blobPort", ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", ports[2].ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new AzuriteServer(process, location, ports[0], ports[1], ports[2]);
        await server.WaitUntilListeningAsync().ConfigureAwait(false);
        return server;
    }

    private async Task WaitUntilListeningAsync()
    {
        // Generous: ./test.sh runs the test projects side by side, and on a busy 2-core machine Node can take over 30 s.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} during start.");
                }

                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                    break;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100).ConfigureAwait(false);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        process.Dispose();
        try
        {
            Directory.Delete(location, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder; nothing depends on it.
        }
    }

    /// <summary>Free loopback ports, all held at once while choosing so the same port is never returned twice.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
