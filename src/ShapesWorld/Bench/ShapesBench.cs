using System.Text.Json;
using System.Text.Json.Serialization;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.ShapesWorld.Bench;

/// <summary>
/// ShapesWorld-Bench: builds the fixed benchmark items, writes them (<c>items.jsonl</c>, <c>images/*.png</c>,
/// a scene registry for the annotator, <c>manifest.json</c>) and loads them back. Scene seeds come from
/// <see cref="SeedRanges.BenchSceneSeed"/>, disjoint from every training corpus.
/// </summary>
public static class ShapesBench
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string FolderName(BenchOptions options) => $"shapesworld-bench-v{options.Version}";

    /// <summary>The benchmark's edit items in a fixed order (type, then index); all valid.</summary>
    public static IReadOnlyList<EditItem> BuildItems(BenchOptions options)
    {
        options.Validate();
        var items = new List<EditItem>();
        foreach (var type in Enum.GetValues<EditType>())
        {
            int found = 0;
            for (long i = 0; found < options.ItemsPerType; i++)
            {
                if (i > 1_000_000) throw new InvalidOperationException($"Could not find {options.ItemsPerType} valid {type} items.");
                ulong sceneSeed = SeedRanges.BenchSceneSeed(options.Version, (long)type * 10_000_000 + i);
                var source = Scenes.SceneSampler.Sample(sceneSeed);
                if (type == EditType.Customization && EditApplier.ProminentObject(source) is null) continue;
                var item = EditPrograms.Create(source, sceneSeed, type, SplitMix64.Mix(sceneSeed ^ (ulong)type));
                if (!item.IsValid) continue;
                items.Add(item);
                found++;
            }
        }
        return items;
    }

    public static async Task<BenchSet> WriteAsync(string outputDirectory, BenchOptions? options = null, CancellationToken ct = default)
    {
        options ??= BenchOptions.V1;
        var dir = Path.Combine(outputDirectory, FolderName(options));
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        var registry = new SceneRegistry();
        var benchItems = new List<BenchItem>();
        foreach (var item in BuildItems(options))
        {
            var rgb = Renderer.Render(item.Source, options.Resolution);
            registry.Add(item.SceneSeed, options.Resolution, item.Source, rgb);
            string image = $"images/{item.Id}.png";
            await File.WriteAllBytesAsync(Path.Combine(dir, image), PngCodec.Encode(rgb, options.Resolution, options.Resolution), ct);
            benchItems.Add(new BenchItem(item.Id, item.Type, item.Instruction, item.Instructions.Skip(1).ToArray(), item.ObjectName, image, item.SceneSeed, item.EditSeed));
        }
        await File.WriteAllLinesAsync(Path.Combine(dir, BenchManifest.ItemsFileName), benchItems.Select(b => JsonSerializer.Serialize(b, Json)), ct);
        await registry.SaveAsync(Path.Combine(dir, SceneRegistry.FileName), ct);
        var manifest = new BenchManifest(FolderName(options), options.Version, options.Resolution, options.ItemsPerType, benchItems.Count,
            benchItems.GroupBy(b => b.Type).ToDictionary(g => JsonNamingPolicy.CamelCase.ConvertName(g.Key.ToString()), g => g.Count()));
        await File.WriteAllTextAsync(Path.Combine(dir, BenchManifest.FileName), JsonSerializer.Serialize(manifest, new JsonSerializerOptions(Json) { WriteIndented = true }), ct);
        return new BenchSet(dir, manifest, benchItems);
    }

    /// <summary>Loads a benchmark folder (the one holding <c>manifest.json</c>).</summary>
    public static async Task<BenchSet> LoadAsync(string directory, CancellationToken ct = default)
    {
        var manifestPath = Path.Combine(directory, BenchManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"{manifestPath} not found; pass the shapesworld-bench-vN folder written by 'npedit world bench'.", manifestPath);
        var manifest = JsonSerializer.Deserialize<BenchManifest>(await File.ReadAllTextAsync(manifestPath, ct), Json) ?? throw new FormatException($"{manifestPath} is empty.");
        var items = (await File.ReadAllLinesAsync(Path.Combine(directory, BenchManifest.ItemsFileName), ct))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<BenchItem>(l, Json) ?? throw new FormatException("Empty benchmark item line."))
            .ToArray();
        return new BenchSet(directory, manifest, items);
    }
}
