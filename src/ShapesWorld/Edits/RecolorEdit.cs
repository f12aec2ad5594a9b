using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Colour edit: one object takes a new colour.</summary>
public sealed record RecolorEdit(ObjectRef Object, NamedColor NewColor) : EditSpec
{
    public override EditType Type => EditType.Color;
}
