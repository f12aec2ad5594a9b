using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Texture/material edit: one object takes a new pattern.</summary>
public sealed record RetextureEdit(ObjectRef Object, Pattern NewPattern) : EditSpec
{
    public override EditType Type => EditType.Texture;
}
