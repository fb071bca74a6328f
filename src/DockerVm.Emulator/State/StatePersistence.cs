using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DockerVm.Emulator.Arm;
using DockerVm.Emulator.Hosting;
using DockerVm.Emulator.KeyVault;

namespace DockerVm.Emulator.State;

/// <summary>
/// Keeps the emulator's state in one file (<see cref="EmulatorOptions.StatePath"/>): restored at start, saved after
/// changes (at most every <see cref="MinimumInterval"/>, from the background ticker) and once more on shutdown. The
/// file holds secret values and private keys, so it is written owner-only and atomically.
/// </summary>
internal sealed class StatePersistence(string path, ArmRuntime runtime, SecretStore secrets, ILogger logger)
{
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(500);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private long _savedVersion = -1;
    private long _savedAt;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Loads the file when there is one; a file that cannot be read stops the start rather than losing it.</summary>
    public void Restore()
    {
        if (!File.Exists(Path))
        {
            return;
        }

        try
        {
            var state = JsonNode.Parse(File.ReadAllBytes(Path)) as JsonObject ?? throw new InvalidDataException("it is not a JSON object");
            EmulatorSnapshot.Restore(state, runtime, secrets);
            _savedVersion = runtime.Store.Version;
            _savedAt = Stopwatch.GetTimestamp();
            Log.StateRestored(logger, Path, ((JsonArray?)state["resources"])?.Count ?? 0, ((JsonArray?)state["secrets"])?.Count ?? 0);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"The emulator state file {Path} cannot be restored ({ex.Message}). Move it away or start afresh (./run.sh --fresh).", ex);
        }
    }

    /// <summary>Saves when anything changed since the last save (and, unless <paramref name="force"/>, not too often; wall-clock, whatever TimeProvider the emulator uses).</summary>
    public async Task SaveIfChangedAsync(bool force, CancellationToken cancellationToken)
    {
        // Read the version before capturing: a change racing the capture is saved again next time.
        var version = runtime.Store.Version;
        if (version == _savedVersion || (!force && Stopwatch.GetElapsedTime(_savedAt) < MinimumInterval))
        {
            return;
        }

        var state = EmulatorSnapshot.Capture(runtime, secrets);
        await SecretFile.WriteAsync(Path, JsonSerializer.SerializeToUtf8Bytes(state, Indented), cancellationToken);
        _savedVersion = version;
        _savedAt = Stopwatch.GetTimestamp();
    }
}
