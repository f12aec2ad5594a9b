namespace NpEdit.ShapesWorld.Edits;

/// <summary>The names App. D's prompts use for edit types, and a lenient parser for names a VLM or a caller may write.</summary>
public static class EditTypeNames
{
    public static IReadOnlyList<EditType> Local { get; } =
        [EditType.Color, EditType.Texture, EditType.Adjust, EditType.Add, EditType.Remove, EditType.Replace, EditType.Background, EditType.Style, EditType.Action, EditType.Text];

    /// <summary>The name in the App. D instruction-generation list: "local color change", "bg", "text manipulation", …</summary>
    public static string PaperName(EditType type) => type switch
    {
        EditType.Color => "local color change",
        EditType.Texture => "local texture",
        EditType.Adjust => "adjust",
        EditType.Add => "add",
        EditType.Remove => "remove",
        EditType.Replace => "replace",
        EditType.Background => "bg",
        EditType.Style => "style",
        EditType.Action => "action",
        EditType.Text => "text manipulation",
        EditType.Customization => "customization",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses "local color change", "color", "bg", "background", "[insertion]", "shape change", …; null if unknown.</summary>
    public static EditType? Parse(string name)
    {
        string n = name.Trim().Trim('[', ']', '"', '\'', '.').ToLowerInvariant();
        return n switch
        {
            _ when n.Contains("colo") => EditType.Color,
            _ when n.Contains("texture") || n.Contains("material") => EditType.Texture,
            _ when n.Contains("adjust") || n.Contains("shape") => EditType.Adjust,
            _ when n is "add" or "insertion" or "insert" => EditType.Add,
            _ when n.Contains("remov") => EditType.Remove,
            _ when n.Contains("replace") => EditType.Replace,
            _ when n is "bg" || n.Contains("background") => EditType.Background,
            _ when n.Contains("style") => EditType.Style,
            _ when n.Contains("action") || n.Contains("pose") => EditType.Action,
            _ when n.Contains("text") => EditType.Text,
            _ when n.Contains("custom") || n.Contains("personal") => EditType.Customization,
            _ => null,
        };
    }
}
