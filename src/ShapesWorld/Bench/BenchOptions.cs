namespace NpEdit.ShapesWorld.Bench;

/// <summary>
/// The definition of a ShapesWorld-Bench version. Version 1 = 50 valid items for each of the 10 local edit types
/// and customization, at 64×64, from the benchmark seed range. Changing any value makes a different benchmark:
/// bump <see cref="Version"/>.
/// </summary>
public sealed record BenchOptions
{
    public int Version { get; init; } = 1;
    public int ItemsPerType { get; init; } = 50;
    public int Resolution { get; init; } = 64;

    public static BenchOptions V1 { get; } = new();

    public void Validate()
    {
        if (Version < 1) throw new ArgumentException($"Benchmark version must be at least 1 (got {Version}).");
        if (ItemsPerType < 1) throw new ArgumentException($"Items per type must be at least 1 (got {ItemsPerType}).");
        if (Resolution < Rendering.Renderer.MinSize) throw new ArgumentException($"Resolution must be at least {Rendering.Renderer.MinSize} (got {Resolution}).");
    }
}
