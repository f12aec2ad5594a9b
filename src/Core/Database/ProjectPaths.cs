namespace NpEdit.Core.Database;

/// <summary>
/// Where the platform keeps its local state (<c>.npedit/</c> at the repository root).
/// <c>NPEDIT_HOME</c> overrides it; otherwise the nearest folder above the working directory
/// (or the running assembly) that holds <c>NpEdit.Platform.sln</c> is the root.
/// </summary>
public static class ProjectPaths
{
    public const string SolutionFileName = "NpEdit.Platform.sln";

    /// <summary>The repository root, or null when not running inside a checkout.</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                    return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>The <c>.npedit</c> state folder (created on demand by callers).</summary>
    public static string StateDirectory()
    {
        var fromEnv = Environment.GetEnvironmentVariable("NPEDIT_HOME");
        if (!string.IsNullOrWhiteSpace(fromEnv))
            return Path.GetFullPath(fromEnv);
        var root = FindRepositoryRoot()
            ?? throw new InvalidOperationException(
                $"Cannot find the NpEdit checkout ({SolutionFileName}) above '{Directory.GetCurrentDirectory()}'. " +
                "Run from inside the repository, or set NPEDIT_HOME to a folder for local state.");
        return Path.Combine(root, ".npedit");
    }
}
