namespace NpEdit.ShapesWorld.Edits;

/// <summary>Action edit, flip variant: mirror the object left to right.</summary>
public sealed record FlipEdit(ObjectRef Object) : EditSpec
{
    public override EditType Type => EditType.Action;
}
