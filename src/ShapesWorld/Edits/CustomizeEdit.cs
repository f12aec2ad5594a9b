using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// Customization (App. E.2): the same object, alone, in a new background and a new pose (cell, size, rotation).
/// The instruction only names the background; pose is the generator's choice, fixed here by the edit seed.
/// </summary>
public sealed record CustomizeEdit(ObjectRef Object, Background NewBackground, GridCell NewCell, SizeClass NewSize, int NewRotation) : EditSpec
{
    public override EditType Type => EditType.Customization;
}
