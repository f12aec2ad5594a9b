using System.Text.RegularExpressions;
using Parquet;
using Parquet.Serialization;

namespace NpEdit.Evaluator.Benchmarks;

/// <summary>
/// GEdit-Bench as a user downloads it from Hugging Face (<c>stepfun-ai/GEdit-Bench</c>, Parquet files
/// <c>train-NNNNN-of-MMMMM.parquet</c>). Keeps one language (English by default: 606 items in 11 task groups);
/// the source image is <c>input_image_raw</c>, the full-resolution input the reference script edits.
/// </summary>
public static partial class GEditBenchLoader
{
    public const string DatasetId = "stepfun-ai/GEdit-Bench";
    public const int EnglishItems = 606;
    public const int Groups = 11;

    public static string DownloadHint(string root) =>
        $"Download it with 'huggingface-cli download {DatasetId} --repo-type dataset --local-dir {root}' " +
        $"(all Parquet files of split 'train'), then pass --data {root}.";

    public static async Task<EvalBenchmark> LoadAsync(string root, string language = "en", CancellationToken ct = default)
    {
        if (!Directory.Exists(root))
            throw new BenchmarkFilesMissingException($"GEdit-Bench folder {root} does not exist. {DownloadHint(root)}", root);
        var files = Directory.EnumerateFiles(root, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new BenchmarkFilesMissingException($"No Parquet files under {root}. {DownloadHint(root)}", root);
        CheckShardsComplete(root, files);

        var items = new List<EvalItem>();
        foreach (var file in files)
        {
            int groups;
            await using (var reader = await ParquetReader.CreateAsync(file, cancellationToken: ct))
                groups = reader.RowGroupCount;
            for (var g = 0; g < groups; g++)
            {
                var rows = (await ParquetSerializer.DeserializeAsync<GEditBenchRow>(file, rowGroupIndex: g, cancellationToken: ct)).Data;
                foreach (var row in rows)
                {
                    if (!string.Equals(row.InstructionLanguage, language, StringComparison.OrdinalIgnoreCase))
                        continue;
                    items.Add(ToItem(row, file));
                }
            }
        }
        var duplicate = items.GroupBy(i => i.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new FormatException($"GEdit-Bench key {duplicate.Key} appears {duplicate.Count()} times under {root}; keep one copy of the dataset there.");

        var warnings = new List<string>();
        if (language == "en" && items.Count != EnglishItems)
            warnings.Add($"GEdit-Bench EN has {EnglishItems} items in {Groups} groups; {root} holds {items.Count}. Scores are not comparable to published ones.");
        return new EvalBenchmark($"gedit-{language}", BenchmarkKind.GEdit, root, items) { Warnings = warnings };
    }

    private static EvalItem ToItem(GEditBenchRow row, string file)
    {
        if (string.IsNullOrEmpty(row.Key) || string.IsNullOrEmpty(row.TaskType) || string.IsNullOrEmpty(row.Instruction))
            throw new FormatException($"{file} has a row without key, task_type or instruction; it is not a GEdit-Bench file.");
        var image = row.InputImageRaw?.Bytes is { Length: > 0 } raw ? raw
            : row.InputImage?.Bytes is { Length: > 0 } resized ? resized
            : throw new FormatException($"{file}: item {row.Key} has no image bytes (input_image_raw and input_image are empty); re-download the file.");
        return new EvalItem(row.Key, row.TaskType, row.Instruction, () => image)
        {
            InIntersection = row.IntersectionExist ?? false,
            Language = row.InstructionLanguage ?? "",
        };
    }

    /// <summary>A download cut short leaves some of <c>train-0000k-of-0000n</c> missing; name them.</summary>
    private static void CheckShardsComplete(string root, string[] files)
    {
        var shards = files.Select(f => ShardName().Match(Path.GetFileName(f))).Where(m => m.Success).ToArray();
        if (shards.Length == 0)
            return;
        var total = int.Parse(shards[0].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var present = shards.Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var missing = Enumerable.Range(0, total).Where(i => !present.Contains(i)).ToArray();
        if (missing.Length > 0)
            throw new BenchmarkFilesMissingException(
                $"GEdit-Bench under {root} is incomplete: missing {string.Join(", ", missing.Select(i => $"train-{i:D5}-of-{total:D5}.parquet"))}. {DownloadHint(root)}", root);
    }

    [GeneratedRegex(@"^train-(\d{5})-of-(\d{5})\.parquet$")]
    private static partial Regex ShardName();
}
