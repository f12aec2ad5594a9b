namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Which shared libraries this process has mapped, from <c>/proc/self/maps</c>: the ground truth for
/// "where was libLibTorchSharp.so loaded from", whatever path the .NET probing took.
/// </summary>
internal static class NativeProcessMap
{
    /// <summary>The full path of the first mapped file whose name starts with <paramref name="fileNamePrefix"/>, or null.</summary>
    public static string? FindMapped(string fileNamePrefix)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
            return null;
        foreach (var line in File.ReadLines(maps))
        {
            // address perms offset dev inode path
            var slash = line.IndexOf('/');
            if (slash < 0)
                continue;
            var path = line[slash..];
            if (Path.GetFileName(path).StartsWith(fileNamePrefix, StringComparison.Ordinal))
                return path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^" (deleted)".Length] : path;
        }
        return null;
    }
}
