using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// ShapesWorld images held in memory as one (N, 3, S, S) tensor in [−1, 1] at the model's resolution,
/// with each image's scene and captions. Small worlds fit easily (6000 images at 32 px ≈ 74 MB), and
/// batches are then index_select calls instead of PNG decodes.
/// </summary>
public sealed class ShapesImageSet : IDisposable
{
    readonly Tensor images;
    readonly Tensor? weights;
    readonly Scene[] scenes;
    readonly string[][] captions;

    ShapesImageSet(Tensor images, Tensor? weights, Scene[] scenes, string[][] captions)
    {
        this.images = images;
        this.weights = weights;
        this.scenes = scenes;
        this.captions = captions;
    }

    /// <summary>Number of images.</summary>
    public int Count => scenes.Length;

    /// <summary>Side of the images in pixels.</summary>
    public int Resolution => (int)images.shape[^1];

    /// <summary>(N, 3, S, S) float32 in [−1, 1] on the CPU.</summary>
    public Tensor Images => images;

    /// <summary>(N, 1, S, S) per-pixel loss weights (<see cref="ObjectWeights"/>), or null when the set has none.</summary>
    public Tensor? Weights => weights;

    /// <summary>The scene of each image.</summary>
    public IReadOnlyList<Scene> Scenes => scenes;

    /// <summary>Every word any caption of this set uses, plus ShapesWorld's attribute words: the text encoder's vocabulary.</summary>
    public IReadOnlyList<string> Vocabulary() => ShapesVocabulary.Words(captions.SelectMany(c => c));

    /// <summary>
    /// Loads the rows of the corpus in <paramref name="directory"/> that pass <paramref name="data"/>'s filters,
    /// resized (area average) to <paramref name="resolution"/> when the corpus has another size, with
    /// object-emphasising loss weights when <see cref="T2IDataSection.ObjectWeight"/> is positive.
    /// </summary>
    public static async Task<ShapesImageSet> LoadAsync(string directory, int resolution, T2IDataSection data, CancellationToken ct = default)
    {
        var manifest = await CorpusReader.ReadManifestAsync(directory, ct);
        var pixels = new List<byte[]>();
        var scenes = new List<Scene>();
        var captions = new List<string[]>();
        await foreach (var row in CorpusReader.ReadAsync(directory, ct))
        {
            var scene = SceneJson.Deserialize(row.SceneJson);
            if (!Keep(scene, data))
                continue;
            var (rgb, width, height) = PngCodec.Decode(row.Image.Bytes);
            if (width != manifest.Resolution || height != manifest.Resolution)
                throw new InvalidDataException($"Row {row.Id} of {directory} is {width}×{height}, but the manifest says {manifest.Resolution}².");
            pixels.Add(rgb);
            scenes.Add(scene);
            captions.Add([CompactCaption.Describe(scene), row.CaptionDetailed, row.CaptionShort, row.CaptionAlt]);
        }
        if (scenes.Count == 0)
            throw new InvalidDataException(
                $"No row of {directory} passes the data filters (max_objects {data.MaxObjects}, flat_only {data.FlatOnly}); relax them or use a larger corpus.");
        return new ShapesImageSet(ToTensor(pixels, manifest.Resolution, resolution), WeightTensor(scenes, resolution, data.ObjectWeight), [.. scenes], [.. captions]);
    }

    /// <summary>
    /// The rows the corpus of <paramref name="data"/> (<see cref="T2IDataSection.Count"/> scenes of seed
    /// <see cref="T2IDataSection.CorpusSeed"/>) would give at <paramref name="resolution"/>, rendered in memory on
    /// <paramref name="parallelism"/> threads instead of written to and read back from Parquet: the same scenes, pixels
    /// (PNG is lossless), captions and filters as <see cref="LoadAsync"/> on that corpus, for a machine without the
    /// database or disk to spare (bench/T2ILab on the GPU machine).
    /// </summary>
    public static ShapesImageSet Generate(T2IDataSection data, int resolution, int parallelism = -1, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rows = new (Scene Scene, byte[]? Rgb, string[]? Captions)[data.Count];
        Parallel.For(0, data.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, i =>
        {
            var seed = SeedRanges.CorpusSceneSeed((ulong)data.CorpusSeed, i);
            var scene = SceneSampler.Sample(seed);
            if (!Keep(scene, data))
            {
                rows[i] = (scene, null, null);
                return;
            }
            var captions = Captioner.Describe(scene, seed);
            rows[i] = (scene, Renderer.Render(scene, resolution), [CompactCaption.Describe(scene), captions.Detailed, captions.Short, captions.AltText]);
        });
        var kept = rows.Where(r => r.Rgb is not null).ToArray();
        if (kept.Length == 0)
            throw new ArgumentException(
                $"None of the {data.Count} scenes passes the data filters (max_objects {data.MaxObjects}, flat_only {data.FlatOnly}); relax them or raise data.count.");
        var scenes = kept.Select(r => r.Scene).ToArray();
        return new ShapesImageSet(ToTensor(kept.Select(r => r.Rgb!).ToList(), resolution, resolution),
            WeightTensor(scenes, resolution, data.ObjectWeight), scenes, [.. kept.Select(r => r.Captions!)]);
    }

    /// <summary>This set with its images and weights on <paramref name="device"/> (batches are then drawn there); this one is left as it is.</summary>
    public ShapesImageSet To(Device device) =>
        new(images.to(device).DetachFromDisposeScope(), weights?.to(device).DetachFromDisposeScope(), scenes, captions);

    /// <summary>Renders <paramref name="scenes"/> at <paramref name="resolution"/> (held-out evaluation scenes).</summary>
    public static ShapesImageSet Render(IReadOnlyList<Scene> scenes, int resolution)
    {
        var pixels = scenes.Select(s => Renderer.Render(s, resolution)).ToList();
        var captions = scenes.Select(s => new[] { CompactCaption.Describe(s) }).ToArray();
        return new ShapesImageSet(ToTensor(pixels, resolution, resolution), null, [.. scenes], captions);
    }

    /// <summary>True when <paramref name="scene"/> passes the object-count and style filters.</summary>
    public static bool Keep(Scene scene, T2IDataSection data) =>
        scene.Objects.Count <= data.MaxObjects && (!data.FlatOnly || scene.Style == RenderStyle.Flat);

    /// <summary>The caption of image <paramref name="index"/> for <paramref name="kind"/>; <paramref name="pick"/> ∈ [0, 1) chooses among them for <see cref="CaptionKind.Mixed"/>.</summary>
    public string Caption(int index, CaptionKind kind, double pick = 0) => kind switch
    {
        CaptionKind.Compact => captions[index][0],
        CaptionKind.Detailed => captions[index][1],
        CaptionKind.Short => captions[index][2],
        CaptionKind.Mixed => captions[index][Math.Min(captions[index].Length - 1, (int)(pick * captions[index].Length))],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// A random batch (with replacement) drawn from <paramref name="generator"/>, so the data order is part
    /// of the checkpointed random state.
    /// </summary>
    public ImageCaptionBatch Sample(int batchSize, CaptionKind kind, torch.Generator generator)
    {
        using var scope = NewDisposeScope();
        var index = randint(Count, [batchSize], generator: generator);                         // (B,) drawn on the CPU (SeededNoise)
        var picks = rand(batchSize, generator: generator).data<float>().ToArray();
        var ids = index.data<long>().ToArray();
        index = index.to(images.device);
        var batch = images.index_select(0, index).MoveToOuterDisposeScope();                    // (B, 3, S, S)
        var batchWeights = weights?.index_select(0, index).MoveToOuterDisposeScope();          // (B, 1, S, S)
        return new ImageCaptionBatch(batch, ids.Select((id, i) => Caption((int)id, kind, picks[i])).ToArray(), batchWeights);
    }

    /// <summary>(N, 1, S, S) object weights of <paramref name="scenes"/>, or null when λ = 0 (the plain loss).</summary>
    static Tensor? WeightTensor(IReadOnlyList<Scene> scenes, int size, double objectWeight)
    {
        if (objectWeight == 0)
            return null;
        var flat = new float[scenes.Count * size * size];
        for (var i = 0; i < scenes.Count; i++)
            ObjectWeights.Map(scenes[i], size, objectWeight).CopyTo(flat, i * size * size);
        return tensor(flat, [scenes.Count, 1, size, size]);
    }

    static Tensor ToTensor(IReadOnlyList<byte[]> rgb, int source, int target)
    {
        using var scope = NewDisposeScope();
        var flat = new byte[rgb.Count * source * source * 3];
        for (var i = 0; i < rgb.Count; i++)
            rgb[i].CopyTo(flat, i * source * source * 3);
        var x = tensor(flat, [rgb.Count, source, source, 3]).permute(0, 3, 1, 2).to(float32) / 127.5 - 1; // (N, 3, S0, S0)
        if (source != target)
            x = nn.functional.interpolate(x, [target, target], mode: InterpolationMode.Area);            // (N, 3, S, S)
        return x.contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        images.Dispose();
        weights?.Dispose();
    }
}
