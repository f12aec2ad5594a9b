namespace NpEdit.ShapesWorld.Bench;

/// <summary>The <c>manifest.json</c> of a written benchmark.</summary>
public sealed record BenchManifest(string Name, int Version, int Resolution, int ItemsPerType, int ItemCount, IReadOnlyDictionary<string, int> ItemsByType)
{
    public const string FileName = "manifest.json";
    public const string ItemsFileName = "items.jsonl";
}
