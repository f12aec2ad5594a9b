namespace NpEdit.ShapesWorld.Bench;

/// <summary>A loaded benchmark: its manifest, items, and the folder that image paths are relative to.</summary>
public sealed record BenchSet(string Directory, BenchManifest Manifest, IReadOnlyList<BenchItem> Items)
{
    public string ImagePath(BenchItem item) => Path.Combine(Directory, item.ImagePath);
}
