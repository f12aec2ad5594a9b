namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// An edit in structured form: what the instruction asks for, independent of its wording.
/// <see cref="EditApplier"/> turns a spec plus a source scene into the target scene (or an invalidity reason).
/// </summary>
public abstract record EditSpec
{
    public abstract EditType Type { get; }
}
