namespace NpEdit.ShapesWorld.Edits;

/// <summary>How <see cref="EditPrograms.Sample"/> draws edits.</summary>
public sealed record EditProgramOptions
{
    /// <summary>Share of items planned as invalid (absent object, no-op, vague placement) to exercise validation.</summary>
    public double InvalidFraction { get; init; } = 0.1;

    /// <summary>Types to draw from, uniformly; customization is drawn only for scenes with a prominent object.</summary>
    public IReadOnlyList<EditType> Types { get; init; } = Enum.GetValues<EditType>();

    public void Validate()
    {
        if (InvalidFraction is < 0 or > 1) throw new ArgumentException($"InvalidFraction must lie in [0, 1]; got {InvalidFraction}.");
        if (Types.Count == 0) throw new ArgumentException("At least one edit type is needed.");
    }
}
