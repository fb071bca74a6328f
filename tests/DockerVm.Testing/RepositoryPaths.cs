namespace DockerVm.Testing;

/// <summary>Where the repository is, for tests that run its tools (Azurite from node_modules).</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding DockerVmFunctions.sln, found from the test assembly's location.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockerVmFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        // Built with --artifacts-path outside the tree: fall back to where this source file was compiled from.
        for (DirectoryInfo? dir = new(Path.GetDirectoryName(SourceFile())!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DockerVmFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (DockerVmFunctions.sln).");
    }

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
