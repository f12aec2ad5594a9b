using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Replace edit: a different object in the same place, size and orientation.</summary>
public sealed record ReplaceEdit(ObjectRef Object, ShapeKind NewShape, NamedColor NewColor, Pattern NewPattern) : EditSpec
{
    public override EditType Type => EditType.Replace;
}
