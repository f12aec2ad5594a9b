using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Background edit.</summary>
public sealed record BackgroundEdit(Background NewBackground) : EditSpec
{
    public override EditType Type => EditType.Background;
}
