using System.Text.RegularExpressions;

namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// Reads the background-suggestion reply (App. D): numbered or bulleted captions, possibly wrapped over lines
/// and after a preamble. "None" (the object is a scene) is an answer with no captions, not a reject.
/// </summary>
public static partial class BackgroundListParser
{
    /// <summary>The prompt asks for three backgrounds per object (App. D).</summary>
    public const int PerObject = 3;

    public static ParseResult<IReadOnlyList<string>> Parse(string reply)
    {
        var whole = LabeledFields.CleanValue(LabeledFields.Clean(reply.Trim())).TrimEnd('.').ToLowerInvariant();
        if (whole is "none" or "output: none")
            return ParseResult<IReadOnlyList<string>>.Success(Array.Empty<string>());
        var items = new List<string>();
        var current = (System.Text.StringBuilder?)null;
        foreach (var raw in reply.Replace("\r\n", "\n").Split('\n'))
        {
            var m = Item().Match(raw);
            if (m.Success)
            {
                Flush();
                current = new System.Text.StringBuilder(m.Groups["text"].Value.Trim());
            }
            else if (current is not null && raw.Trim().Length > 0 && !raw.TrimStart().StartsWith('#'))
                current.Append(' ').Append(raw.Trim());
            else if (raw.Trim().Length == 0)
                Flush();
        }
        Flush();
        if (items.Count == 0)
            return ParseResult<IReadOnlyList<string>>.Reject("no numbered or bulleted background captions");
        return ParseResult<IReadOnlyList<string>>.Success(items.Take(PerObject).ToList());

        void Flush()
        {
            if (current is null)
                return;
            var text = LabeledFields.CleanValue(current.ToString().Replace("**", ""));
            // "Background 1: on a beach" → "on a beach".
            text = LabelPrefix().Replace(text, "");
            if (text.Length > 0 && !ValidityParser.IsMissing(text))
                items.Add(text);
            current = null;
        }
    }

    [GeneratedRegex(@"^\s*(?:\d{1,2}[\.\):]|[-\*•])\s+(?<text>\S.*)$")]
    private static partial Regex Item();

    [GeneratedRegex(@"^(?:background|caption|scene)\s*\d*\s*[:：]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex LabelPrefix();
}
