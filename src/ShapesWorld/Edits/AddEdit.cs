using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>Add edit: a new object in an explicit cell; a null cell stands for a vague placement ("near …"), which App. D rejects.</summary>
public sealed record AddEdit(ShapeKind Shape, NamedColor Color, Pattern Pattern, GridCell? Cell, ObjectRef? VagueAnchor = null) : EditSpec
{
    public override EditType Type => EditType.Add;
}
