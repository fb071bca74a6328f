namespace DockerVm.LocalHost.Tests;

/// <summary>The local host reads the Functions app's local.settings.json the way <c>func start</c> does.</summary>
public sealed class LocalSettingsTests
{
    [Fact]
    public void ApplyToEnvironment_SettingsFile_ValuesBecomeVariablesButExplicitOnesWin()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var fromFile = "DOCKERVM_TEST_FROM_FILE_" + suffix;
        var explicitlySet = "DOCKERVM_TEST_EXPLICIT_" + suffix;
        var path = Path.Combine(Path.GetTempPath(), $"local.settings.{suffix}.json");
        File.WriteAllText(path, $$"""
            { "IsEncrypted": false, "Values": { "{{fromFile}}": "file-value", "{{explicitlySet}}": "file-value" } }
            """);
        Environment.SetEnvironmentVariable(explicitlySet, "explicit-value");
        Environment.SetEnvironmentVariable(LocalSettings.PathVariable, path);
        try
        {
            var applied = LocalSettings.ApplyToEnvironment();

            Assert.Equal(path, applied);
            Assert.Equal("file-value", Environment.GetEnvironmentVariable(fromFile));
            Assert.Equal("explicit-value", Environment.GetEnvironmentVariable(explicitlySet));
        }
        finally
        {
            Environment.SetEnvironmentVariable(LocalSettings.PathVariable, null);
            Environment.SetEnvironmentVariable(fromFile, null);
            Environment.SetEnvironmentVariable(explicitlySet, null);
            File.Delete(path);
        }
    }
}
