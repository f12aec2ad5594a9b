namespace NpEdit.Trainer.Tests.Critic;

/// <summary>Files under tests/NpEdit.Trainer.Tests/Fixtures, found from the test binary's folder upwards (they are not copied to the output).</summary>
internal static class Fixtures
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine([dir.FullName, "tests", "NpEdit.Trainer.Tests", "Fixtures", .. parts]);
            if (File.Exists(candidate) || Directory.Exists(candidate))
                return candidate;
        }
        return System.IO.Path.Combine(["tests", "NpEdit.Trainer.Tests", "Fixtures", .. parts]);
    }
}
