using System.Text.Json;
using NpEdit.ShapesWorld.Bench;

namespace NpEdit.Evaluator.Benchmarks;

/// <summary>ShapesWorld-Bench through <see cref="ShapesBench.LoadAsync"/>; groups are edit types, each item keeps its bench item for ground truth.</summary>
public static class ShapesWorldBenchLoader
{
    public static string DownloadHint(string root) =>
        $"Write it with 'npedit world bench --out {Path.GetDirectoryName(Path.GetFullPath(root))}' and pass the shapesworld-bench-v1 folder as --data.";

    public static async Task<EvalBenchmark> LoadAsync(string root, CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(root, BenchManifest.FileName)))
            throw new BenchmarkFilesMissingException($"{Path.Combine(root, BenchManifest.FileName)} not found. {DownloadHint(root)}", root);
        var set = await ShapesBench.LoadAsync(root, ct);
        var items = new List<EvalItem>();
        var missing = new List<string>();
        foreach (var item in set.Items)
        {
            var path = set.ImagePath(item);
            if (!File.Exists(path))
            {
                missing.Add(item.ImagePath);
                continue;
            }
            items.Add(new EvalItem(item.Id, JsonNamingPolicy.CamelCase.ConvertName(item.Type.ToString()), item.Instruction, () => File.ReadAllBytes(path))
            {
                Subject = item.ObjectName,
                ShapesItem = item,
            });
        }
        if (missing.Count > 0)
            throw new BenchmarkFilesMissingException($"{missing.Count} image(s) of {root} are missing (first: {missing[0]}). {DownloadHint(root)}", root);
        var warnings = items.Count == set.Manifest.ItemCount ? [] : new List<string>
        {
            $"{root}/manifest.json announces {set.Manifest.ItemCount} items; items.jsonl holds {items.Count}.",
        };
        return new EvalBenchmark(set.Manifest.Name, BenchmarkKind.ShapesWorld, root, items) { Warnings = warnings };
    }
}
