using NpEdit.Core.Shards;

namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// The edit-type names of the App. D prompt ("local color change", "adjust (shape change)", "bg", …) and the
/// spellings models write back ("Colour", "[insertion]", "**Background change**"), mapped to <see cref="EditType"/>.
/// </summary>
public static class EditTypeLabels
{
    /// <summary>How the prompt names a type (sent in the validity prompt's <c>{edit_type}</c>).</summary>
    public static string PaperName(string type) => type switch
    {
        EditType.Color => "local color change",
        EditType.Texture => "local texture",
        EditType.Shape => "adjust (shape change)",
        EditType.Add => "add",
        EditType.Remove => "remove",
        EditType.Replace => "replace",
        EditType.Background => "bg",
        EditType.Style => "style",
        EditType.Action => "action",
        EditType.Text => "text manipulation",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a local edit type"),
    };

    /// <summary>The type a label names, or null when it names none (or several).</summary>
    public static string? Parse(string label)
    {
        var n = label.Trim().Trim('[', ']', '(', ')', '"', '\'', '*', '`', '.', ' ').ToLowerInvariant();
        // "10) text manipulation", "type 4: add" → drop a leading list number.
        n = System.Text.RegularExpressions.Regex.Replace(n, @"^(?:type\s*)?\d+\s*[\).:\-]\s*", "");
        var matches = new List<string>();
        if (n.Contains("colo")) matches.Add(EditType.Color);
        if (n.Contains("texture") || n.Contains("material")) matches.Add(EditType.Texture);
        if (n.Contains("shape") || n.StartsWith("adjust", StringComparison.Ordinal)) matches.Add(EditType.Shape);
        if (n is "add" or "addition" or "insert" or "insertion" or "add object" or "object addition") matches.Add(EditType.Add);
        if (n.Contains("remov") || n is "delete" or "deletion" or "erase") matches.Add(EditType.Remove);
        if (n.Contains("replac") || n is "swap" or "substitution") matches.Add(EditType.Replace);
        if (n is "bg" || n.StartsWith("bg ", StringComparison.Ordinal) || n.Contains("background")) matches.Add(EditType.Background);
        if (n.Contains("style") || n.Contains("stylization") || n.Contains("stylisation")) matches.Add(EditType.Style);
        if (n.Contains("action") || n.Contains("pose") || n.Contains("motion")) matches.Add(EditType.Action);
        if (n.StartsWith("text", StringComparison.Ordinal) || n.Contains("text manipulation") || n.Contains("text edit")) matches.Add(EditType.Text);
        // "local texture" contains no "text" prefix, but "texture" starts with "text": keep texture only.
        if (matches.Contains(EditType.Texture)) matches.Remove(EditType.Text);
        return matches.Distinct().Count() == 1 ? matches[0] : null;
    }
}
