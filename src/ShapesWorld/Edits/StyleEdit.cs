using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Style edit.</summary>
public sealed record StyleEdit(RenderStyle NewStyle) : EditSpec
{
    public override EditType Type => EditType.Style;
}
