using NpEdit.Core.Shards;
using System.Text.Json;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using Parquet;
using Parquet.Serialization;

namespace NpEdit.ShapesWorld.Corpus;

/// <summary>
/// Exports a ShapesWorld corpus as Parquet shards in the Hugging Face image layout
/// (<c>data/train-00000-of-0000N.parquet</c>, column <c>image</c> = struct{bytes, path}, file metadata key
/// <c>huggingface</c>), plus <see cref="SceneRegistry.FileName"/> for the annotator and a <c>corpus.json</c> manifest.
/// </summary>
public static class CorpusWriter
{
    /// <summary>The <c>huggingface</c> file metadata: makes `datasets` decode <c>image</c> to PIL instead of dicts.</summary>
    public static string HuggingFaceFeatures { get; } = JsonSerializer.Serialize(new
    {
        info = new
        {
            features = new Dictionary<string, object>
            {
                ["id"] = new { dtype = "string", _type = "Value" },
                ["seed"] = new { dtype = "int64", _type = "Value" },
                ["image"] = new { _type = "Image" },
                ["width"] = new { dtype = "int32", _type = "Value" },
                ["height"] = new { dtype = "int32", _type = "Value" },
                ["caption_short"] = new { dtype = "string", _type = "Value" },
                ["caption_detailed"] = new { dtype = "string", _type = "Value" },
                ["caption_alt"] = new { dtype = "string", _type = "Value" },
                ["scene_json"] = new { dtype = "string", _type = "Value" },
            },
        },
    });

    public static async Task<CorpusManifest> WriteAsync(CorpusOptions options, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var dataDir = Path.Combine(options.OutputDirectory, "data");
        Directory.CreateDirectory(dataDir);
        var registry = new SceneRegistry();
        int shardCount = (options.Count + options.RowsPerShard - 1) / options.RowsPerShard;
        var shards = new List<string>(shardCount);
        int done = 0;
        for (int shard = 0; shard < shardCount; shard++)
        {
            int start = shard * options.RowsPerShard, count = Math.Min(options.RowsPerShard, options.Count - start);
            var rows = new CorpusRow[count];
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism, CancellationToken = ct }, (i, _) =>
            {
                rows[i] = MakeRow(options, start + i, registry);
                return ValueTask.CompletedTask;
            });
            string name = $"train-{shard:D5}-of-{shardCount:D5}.parquet";
            await ParquetSerializer.SerializeAsync(rows, Path.Combine(dataDir, name),
                new ParquetOptions { RowGroupSize = options.RowGroupSize, CompressionMethod = CompressionMethod.Snappy },
                new Dictionary<string, string> { ["huggingface"] = HuggingFaceFeatures }, ct);
            shards.Add($"data/{name}");
            done += count;
            progress?.Report(done);
        }
        await registry.SaveAsync(Path.Combine(options.OutputDirectory, SceneRegistry.FileName), ct);
        var manifest = new CorpusManifest(CorpusManifest.CurrentFormatVersion, options.Count, options.Resolution, options.Seed, shards, SceneRegistry.FileName);
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, CorpusManifest.FileName),
            JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }), ct);
        return manifest;
    }

    /// <summary>Builds row <paramref name="index"/>; pure function of the options, so reruns produce the same pixels.</summary>
    public static CorpusRow MakeRow(CorpusOptions options, long index, SceneRegistry? registry = null)
    {
        ulong seed = SeedRanges.CorpusSceneSeed(options.Seed, index);
        var scene = SceneSampler.Sample(seed);
        var rgb = Renderer.Render(scene, options.Resolution);
        registry?.Add(seed, options.Resolution, scene, rgb);
        var captions = Captioner.Describe(scene, seed);
        string id = $"{seed:x16}";
        return new CorpusRow
        {
            Id = id,
            Seed = (long)seed,
            Image = new HfImage { Bytes = PngCodec.Encode(rgb, options.Resolution, options.Resolution), Path = $"{id}.png" },
            Width = options.Resolution,
            Height = options.Resolution,
            CaptionShort = captions.Short,
            CaptionDetailed = captions.Detailed,
            CaptionAlt = captions.AltText,
            SceneJson = SceneJson.Serialize(scene),
        };
    }
}
