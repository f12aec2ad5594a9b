namespace NpEdit.Evaluator.Pipeline;

/// <summary>
/// Where an item's edited image lives under an outputs folder: <c>&lt;group&gt;/&lt;key&gt;.png</c> (GEdit-Bench's
/// script uses <c>&lt;task&gt;/&lt;lang&gt;/&lt;key&gt;.png</c>; a key's own slashes become folders, as DreamBooth's
/// <c>subject/NN</c>). Outputs of another model written in this layout can be judged without a checkpoint.
/// </summary>
public static class OutputLayout
{
    public static string RelativePath(string group, string key) =>
        Path.Combine(Safe(group), Path.Combine(key.Split('/').Select(Safe).ToArray()) + ".png");

    private static string Safe(string part)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var cleaned = new string(part.Select(c => invalid.Contains(c) || c == '\\' ? '_' : c).ToArray());
        return cleaned is "" or "." or ".." ? "_" : cleaned;
    }
}
