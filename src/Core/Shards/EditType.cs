namespace NpEdit.Core.Shards;

/// <summary>
/// Edit types of the paper's instruction-generation prompt (App. D), spelled as stored in shards,
/// plus <see cref="Customization"/> for the free-form task.
/// </summary>
public static class EditType
{
    public const string Color = "color";
    public const string Texture = "texture";
    public const string Shape = "shape";
    public const string Add = "add";
    public const string Remove = "remove";
    public const string Replace = "replace";
    public const string Background = "background";
    public const string Style = "style";
    public const string Action = "action";
    public const string Text = "text";
    public const string Customization = "customization";

    /// <summary>The 10 local types, in the paper's order.</summary>
    public static IReadOnlyList<string> Local { get; } = [Color, Texture, Shape, Add, Remove, Replace, Background, Style, Action, Text];

    public static bool IsKnown(string type) => type == Customization || Local.Contains(type);
}
