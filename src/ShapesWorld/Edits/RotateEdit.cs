namespace NpEdit.ShapesWorld.Edits;

/// <summary>Action edit, rotation variant: turn an object clockwise by a multiple of 15 degrees.</summary>
public sealed record RotateEdit(ObjectRef Object, int ClockwiseDegrees) : EditSpec
{
    public override EditType Type => EditType.Action;
}
