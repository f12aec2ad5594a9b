namespace NpEdit.ShapesWorld.Edits;

/// <summary>Text edit: the sign shows a new character.</summary>
public sealed record TextEdit(char NewCharacter) : EditSpec
{
    public override EditType Type => EditType.Text;
}
