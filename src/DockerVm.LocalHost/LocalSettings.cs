namespace DockerVm.LocalHost;

/// <summary>
/// Reads the Functions app's <c>local.settings.json</c> (or the checked-in <c>local.settings.sample.json</c>) the way
/// <c>func start</c> does: every entry of <c>Values</c> becomes an environment variable of this process. That makes the
/// local host read exactly the Functions app's settings, including <c>IDENTITY_ENDPOINT</c>/<c>IDENTITY_HEADER</c> that
/// Azure.Identity takes from the environment. Variables already set (by ./run.sh or a test) win.
/// </summary>
internal static class LocalSettings
{
    public const string PathVariable = "DOCKERVM_LOCAL_SETTINGS";

    private static readonly string[] FileNames = ["local.settings.json", "local.settings.sample.json"];

    /// <returns>The file that was applied, or null when none was found.</returns>
    public static string? ApplyToEnvironment()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitPath ? explicitPath : Find();
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Values", out var values))
        {
            return path;
        }

        foreach (var value in values.EnumerateObject())
        {
            if (Environment.GetEnvironmentVariable(value.Name) is null)
            {
                Environment.SetEnvironmentVariable(value.Name, value.Value.ToString());
            }
        }

        return path;
    }

    private static string? Find()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            foreach (var name in FileNames)
            {
                var candidate = Path.Combine(dir.FullName, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
