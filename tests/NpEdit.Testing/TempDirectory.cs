namespace NpEdit.Testing;

/// <summary>A folder under /tmp removed on dispose (reachable by the postgres account when tests run as root).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "npedit-test")
    {
        Path = System.IO.Path.Combine("/tmp", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still shutting down may hold a file for a moment; /tmp is cleaned by the OS anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
