using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Adjust edit, shape variant: one object takes a new shape, keeping colour, pattern, size and place.</summary>
public sealed record ReshapeEdit(ObjectRef Object, ShapeKind NewShape) : EditSpec
{
    public override EditType Type => EditType.Adjust;
}
