namespace NpEdit.ShapesWorld.Scenes;

/// <summary>Knobs of <see cref="SceneSampler"/>; the defaults give the mix the corpus uses.</summary>
public sealed record SceneSamplerOptions
{
    public int MinObjects { get; init; } = 1;
    public int MaxObjects { get; init; } = Scene.MaxObjects;
    public double SignProbability { get; init; } = 0.3;

    /// <summary>Share of one-object scenes whose object is medium or large and centred: the customization references.</summary>
    public double ProminentProbability { get; init; } = 0.6;

    public void Validate()
    {
        if (MinObjects < 1 || MaxObjects > Scene.MaxObjects || MinObjects > MaxObjects)
            throw new ArgumentException($"Objects per scene must satisfy 1 ≤ min ≤ max ≤ {Scene.MaxObjects}; got {MinObjects}…{MaxObjects}.");
        if (SignProbability is < 0 or > 1 || ProminentProbability is < 0 or > 1)
            throw new ArgumentException("Probabilities must lie in [0, 1].");
    }
}
