using System.Text.Json.Nodes;

namespace DockerVm.Emulator.Tests.Clients;

/// <summary>
/// Which real clients this machine has (Debian's python3-azure and azure-cli, installed by
/// scripts/install-debian-packages.sh). A missing one makes its tests SKIPPED with the reason, never passed.
/// </summary>
internal static class InstalledClients
{
    public const string Python = "/usr/bin/python3";
    public const string Az = "/usr/bin/az";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<Task<string?>> PythonSdk = new(ProbePythonSdkAsync);
    private static readonly Lazy<Task<JsonObject>> AzCommands = new(ProbeAzCommandsAsync);

    public static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "Clients", name);

    /// <summary>Null when /usr/bin/python3 has the SDK packages the script imports, else why not.</summary>
    public static Task<string?> PythonSdkMissingAsync() => PythonSdk.Value;

    /// <summary>Null when /usr/bin/az exists, else why not.</summary>
    public static string? AzMissing => File.Exists(Az) ? null : $"{Az} is not installed (Debian package azure-cli; scripts/install-debian-packages.sh installs it).";

    /// <summary>
    /// Null when az can run the commands of <paramref name="group"/> (vm, network, keyvault) with the SDKs installed
    /// beside it, else why not (az_sdk_probe.py asks az's own profile and interpreter).
    /// </summary>
    public static async Task<string?> AzCommandMissingAsync(string group)
    {
        if (AzMissing is { } missing)
        {
            return missing;
        }

        var reason = (string?)(await AzCommands.Value)[group];
        return reason is null ? null : $"az cannot run these commands on this machine, against Azure or the emulator alike: {reason}";
    }

    private static async Task<string?> ProbePythonSdkAsync()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is not installed.";
        }

        var probe = await ChildProcess.RunAsync(
            Python, ["-c", "import azure.identity, azure.mgmt.compute, azure.mgmt.network, azure.keyvault.secrets"],
            new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1" }, ProbeTimeout);
        return probe.ExitCode == 0
            ? null
            : $"{Python} lacks the Azure SDK packages (Debian package python3-azure: azure-identity, azure-mgmt-compute, azure-mgmt-network, azure-keyvault-secrets): {probe.Stderr.Trim()}";
    }

    private static async Task<JsonObject> ProbeAzCommandsAsync()
    {
        // az is a Python script; its first line names the interpreter whose packages it loads.
        var shebang = (await File.ReadAllLinesAsync(Az)).FirstOrDefault() ?? string.Empty;
        var interpreter = shebang.StartsWith("#!", StringComparison.Ordinal) ? shebang[2..].Trim().Split(' ')[0] : Python;
        var probe = await ChildProcess.RunAsync(
            interpreter, [ScriptPath("az_sdk_probe.py")], new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1" }, ProbeTimeout);
        return probe.ExitCode == 0 && JsonNode.Parse(probe.Stdout) is JsonObject result
            ? result
            : new JsonObject { ["vm"] = $"probe failed: {probe}", ["network"] = $"probe failed: {probe}", ["keyvault"] = $"probe failed: {probe}" };
    }
}
