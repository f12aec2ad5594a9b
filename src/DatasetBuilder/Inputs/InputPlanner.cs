using System.Text.Json;
using NpEdit.Core.Config.Dataset;
using Parquet;

namespace NpEdit.DatasetBuilder.Inputs;

/// <summary>
/// Cuts the input into fixed slices of <see cref="InputSection.ImagesPerUnit"/> images, in a stable order, so
/// that unit N means the same images on every run (datatrove's rule: never change the split between launches).
/// </summary>
public static class InputPlanner
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"];

    public static async Task<IReadOnlyList<UnitInput>> PlanAsync(InputSection input, CancellationToken ct = default)
    {
        var sized = input.Kind switch
        {
            InputKind.Folder => [(Path.GetFullPath(input.Path), FolderFiles(input.Path).Count)],
            InputKind.Parquet => await CountRowsAsync(ParquetFiles(input.Path), ct),
            InputKind.ShapesWorld => await CountRowsAsync(await ShapesWorldShardsAsync(input.Path, ct), ct),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "unknown input kind"),
        };
        var units = new List<UnitInput>();
        var remaining = input.Limit > 0 ? input.Limit : int.MaxValue;
        foreach (var (file, rows) in sized)
        {
            for (var start = 0; start < rows && remaining > 0; start += input.ImagesPerUnit)
            {
                var count = Math.Min(Math.Min(input.ImagesPerUnit, rows - start), remaining);
                units.Add(new UnitInput(file, start, count));
                remaining -= count;
            }
        }
        if (units.Count == 0)
            throw new ArgumentException($"input.path '{input.Path}' holds no images; check input.kind ({input.Kind}) and the path.");
        return units;
    }

    /// <summary>Image files under a folder (recursively), sorted by relative path.</summary>
    public static IReadOnlyList<string> FolderFiles(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"input.path '{folder}' is not a folder; with input.kind folder give a folder of images.");
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Select(f => Path.GetRelativePath(folder, f))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>A Parquet file, or every *.parquet under a folder, sorted.</summary>
    public static IReadOnlyList<string> ParquetFiles(string path)
    {
        if (File.Exists(path))
            return [Path.GetFullPath(path)];
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"input.path '{path}' is neither a Parquet file nor a folder of them.", path);
        var files = Directory.EnumerateFiles(path, "*.parquet", SearchOption.AllDirectories)
            .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new FileNotFoundException($"No *.parquet files under '{path}'.", path);
        return files;
    }

    /// <summary>The shards listed in a ShapesWorld corpus's <c>corpus.json</c>.</summary>
    public static async Task<IReadOnlyList<string>> ShapesWorldShardsAsync(string folder, CancellationToken ct)
    {
        var manifest = Path.Combine(folder, "corpus.json");
        if (!File.Exists(manifest))
            throw new FileNotFoundException(
                $"'{folder}' has no corpus.json; with input.kind shapes_world give a folder written by 'npedit world corpus'.", manifest);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(manifest, ct));
        if (!doc.RootElement.TryGetProperty("Shards", out var shards) || shards.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{manifest} has no 'Shards' list; rewrite the corpus with 'npedit world corpus'.");
        return shards.EnumerateArray().Select(s => Path.GetFullPath(Path.Combine(folder, s.GetString() ?? ""))).ToList();
    }

    private static async Task<List<(string File, int Rows)>> CountRowsAsync(IReadOnlyList<string> files, CancellationToken ct)
    {
        var sized = new List<(string, int)>();
        foreach (var file in files)
        {
            try
            {
                await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: ct);
                sized.Add((file, (int)reader.Metadata!.NumRows));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or Parquet.ParquetException)
            {
                throw new InvalidDataException($"'{file}' is not a readable Parquet file: {e.Message}", e);
            }
        }
        return sized;
    }
}
