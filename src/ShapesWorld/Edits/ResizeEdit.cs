using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Adjust edit, size variant.</summary>
public sealed record ResizeEdit(ObjectRef Object, SizeClass NewSize) : EditSpec
{
    public override EditType Type => EditType.Adjust;
}
