using System.Text;
using System.Text.RegularExpressions;

namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// Splits a model reply into <c>Label: value</c> fields the way people and models write them: markdown bullets,
/// numbering, bold or header labels, extra spaces, values running on over several lines. Lines before the first
/// known label (a model's preamble) are ignored.
/// </summary>
public static partial class LabeledFields
{
    /// <summary>One field occurrence, in reply order; <see cref="Label"/> is the canonical name from the alias table.</summary>
    public sealed record Field(string Label, string Value);

    /// <param name="aliases">Lower-case spelling → canonical label (e.g. "edited caption" → "caption").</param>
    /// <param name="labelFor">Optional fallback that names a label the alias table does not know (null = not a label).</param>
    public static List<Field> Extract(string text, IReadOnlyDictionary<string, string> aliases, Func<string, string?>? labelFor = null)
    {
        var fields = new List<Field>();
        string? label = null;
        var value = new StringBuilder();
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = Clean(raw);
            if (TryLabel(line, aliases, labelFor, out var next, out var rest))
            {
                Flush();
                (label, value) = (next, new StringBuilder(rest));
                continue;
            }
            if (label is not null && line.Length > 0)
                value.Append(value.Length > 0 ? " " : "").Append(line);
        }
        Flush();
        return fields;

        void Flush()
        {
            if (label is not null)
                fields.Add(new Field(label, CleanValue(value.ToString())));
        }
    }

    /// <summary>Strips list markers, numbering, bold/italic markers and header hashes from a line.</summary>
    public static string Clean(string line)
    {
        var s = line.Replace("**", "").Replace("__", "").Trim();
        s = LeadingMarkers().Replace(s, "");
        return s.Trim();
    }

    /// <summary>Trims whitespace, wrapping quotes and backticks from a value.</summary>
    public static string CleanValue(string value)
    {
        var s = Whitespace().Replace(value, " ").Trim();
        while (s.Length >= 2 && IsQuote(s[0]) && IsQuote(s[^1]))
            s = s[1..^1].Trim();
        return s.Trim('*', '`', ' ');
    }

    private static bool IsQuote(char c) => c is '"' or '\'' or '`' or '“' or '”' or '‘' or '’';

    private static bool TryLabel(string line, IReadOnlyDictionary<string, string> aliases, Func<string, string?>? labelFor,
        out string label, out string rest)
    {
        (label, rest) = ("", "");
        var m = LabelLine().Match(line);
        var name = Normalize(m.Success ? m.Groups["label"].Value : line);
        var canonical = aliases.GetValueOrDefault(name) ?? (m.Success ? labelFor?.Invoke(name) : null);
        if (canonical is null)
            return false;
        (label, rest) = (canonical, m.Success ? m.Groups["value"].Value : "");
        return true;
    }

    // "Example 2" and "Example 2:" are the label "example".
    private static string Normalize(string label) =>
        TrailingNumber().Replace(Whitespace().Replace(label.Trim().Trim('*', '_', '#', ' ').ToLowerInvariant(), " "), "");

    [GeneratedRegex(@"\s*#?\d+$")]
    private static partial Regex TrailingNumber();

    [GeneratedRegex(@"^(?:[>#\-\*•+\s]+|\d{1,2}[\.\)]\s+|\(\d{1,2}\)\s+|[a-z][\.\)]\s+)+")]
    private static partial Regex LeadingMarkers();

    [GeneratedRegex(@"^(?<label>[A-Za-z][A-Za-z0-9 ()/_\-']{0,48}?)\s*[:：]\s*(?<value>.*)$")]
    private static partial Regex LabelLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
