using System.Security.Cryptography;
using System.Text.Json;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Corpus;

/// <summary>
/// Maps the SHA-256 of an image's RGB pixels to the scene it shows. Corpus export and the benchmark write one next
/// to their images (<see cref="FileName"/>, JSON lines); the annotator loads them to "recognise" images.
/// Keyed by pixels, not PNG bytes, so re-encoding an image does not make it unknown (resizing does).
/// </summary>
public sealed class SceneRegistry
{
    public const string FileName = "scenes.registry.jsonl";

    private readonly Dictionary<string, RegistryEntry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count { get { lock (_gate) return _entries.Count; } }

    public static string PixelHash(ReadOnlySpan<byte> rgb, int width, int height)
    {
        Span<byte> header = stackalloc byte[8];
        BitConverter.TryWriteBytes(header, width);
        BitConverter.TryWriteBytes(header[4..], height);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(header);
        sha.AppendData(rgb);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public void Add(ulong seed, int size, Scene scene, ReadOnlySpan<byte> rgb)
    {
        var entry = new RegistryEntry(PixelHash(rgb, size, size), seed, size, scene);
        lock (_gate) _entries[entry.Sha256] = entry;
    }

    public RegistryEntry? Find(ReadOnlySpan<byte> rgb, int width, int height)
    {
        string key = PixelHash(rgb, width, height);
        lock (_gate) return _entries.GetValueOrDefault(key);
    }

    /// <summary>Re-renders corpus rows 0…count−1 of a corpus seed and registers them: the registry without the file.</summary>
    public void AddCorpus(ulong corpusSeed, int count, int resolution)
    {
        for (long i = 0; i < count; i++)
        {
            ulong seed = SeedRanges.CorpusSceneSeed(corpusSeed, i);
            var scene = SceneSampler.Sample(seed);
            Add(seed, resolution, scene, Rendering.Renderer.Render(scene, resolution));
        }
    }

    /// <summary>Registers every input image of a benchmark version by re-rendering it.</summary>
    public void AddBench(Bench.BenchOptions options)
    {
        foreach (var item in Bench.ShapesBench.BuildItems(options))
            Add(item.SceneSeed, options.Resolution, item.Source, Rendering.Renderer.Render(item.Source, options.Resolution));
    }

    public async Task SaveAsync(string path, CancellationToken ct = default)
    {
        RegistryEntry[] entries;
        lock (_gate) entries = _entries.Values.OrderBy(e => e.Sha256, StringComparer.Ordinal).ToArray();
        await using var writer = new StreamWriter(path);
        foreach (var e in entries)
            await writer.WriteLineAsync(JsonSerializer.Serialize(e, SceneJson.Options).AsMemory(), ct);
    }

    /// <summary>Adds every entry of a registry file.</summary>
    public async Task LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Scene registry {path} does not exist; export a corpus or benchmark there first.", path);
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            if (line.Length == 0) continue;
            var e = JsonSerializer.Deserialize<RegistryEntry>(line, SceneJson.Options) ?? throw new FormatException($"Bad registry line in {path}.");
            lock (_gate) _entries[e.Sha256] = e with { Scene = e.Scene with { Objects = e.Scene.Objects.ToArray() } };
        }
    }

    /// <summary>Loads every <see cref="FileName"/> under <paramref name="directory"/> (recursively).</summary>
    public async Task LoadDirectoryAsync(string directory, CancellationToken ct = default)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Folder {directory} does not exist; pass a folder written by 'npedit world corpus' or 'npedit world bench'.");
        foreach (var file in Directory.EnumerateFiles(directory, FileName, SearchOption.AllDirectories))
            await LoadAsync(file, ct);
    }
}
