using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Action edit, move variant: the object goes to the centre of another cell.</summary>
public sealed record MoveEdit(ObjectRef Object, GridCell NewCell) : EditSpec
{
    public override EditType Type => EditType.Action;
}
