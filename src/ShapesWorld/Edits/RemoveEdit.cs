namespace NpEdit.ShapesWorld.Edits;

/// <summary>Remove edit.</summary>
public sealed record RemoveEdit(ObjectRef Object) : EditSpec
{
    public override EditType Type => EditType.Remove;
}
