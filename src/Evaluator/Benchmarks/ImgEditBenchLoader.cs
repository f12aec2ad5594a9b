using System.Text.Json;

namespace NpEdit.Evaluator.Benchmarks;

/// <summary>
/// ImgEdit-Bench Basic (PKU-YuanGroup/ImgEdit, <c>Benchmark/Basic</c>): <c>basic_edit.json</c>, an object keyed by
/// the item number (not contiguous, e.g. <c>"1082"</c>) of <c>{"id": "animal/000342021.jpg", "prompt": "...",
/// "edit_type": "alter"}</c>, where the id is a path (folders such as <c>for_add/</c>, <c>daily object/</c>,
/// <c>compose/human/</c>) under the unpacked images, here the same folder or its <c>singleturn/</c> subfolder.
/// Nine edit types; the group of an item is its type, named as the published tables name it (the JSON's <c>alter</c>
/// is the tables' Adjust).
/// </summary>
public static class ImgEditBenchLoader
{
    public const string JsonFile = "basic_edit.json";
    public const int PublishedItems = 737;

    public static IReadOnlyList<string> Types { get; } = ["add", "adjust", "extract", "replace", "remove", "background", "style", "compose", "action"];

    public static string DownloadHint(string root) =>
        $"Download Benchmark.tar from the Hugging Face dataset sysuyy/ImgEdit, unpack it, and put {JsonFile} (from the ImgEdit " +
        $"repository, Benchmark/Basic) together with the 'singleturn' image folder into {root}.";

    public static async Task<EvalBenchmark> LoadAsync(string root, CancellationToken ct = default)
    {
        var jsonPath = Path.Combine(root, JsonFile);
        if (!File.Exists(jsonPath))
            throw new BenchmarkFilesMissingException($"{jsonPath} not found. {DownloadHint(root)}", jsonPath);
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(jsonPath, ct));
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{jsonPath} is not an ImgEdit basic_edit.json (expected an object of numbered entries).");

        var items = new List<EvalItem>();
        var missing = new List<string>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            var id = Field(entry, "id", jsonPath);
            var prompt = Field(entry, "prompt", jsonPath);
            var type = NormaliseType(Field(entry, "edit_type", jsonPath), entry.Name, jsonPath);
            var image = FindImage(root, id);
            if (image is null)
            {
                missing.Add(id);
                continue;
            }
            items.Add(new EvalItem(entry.Name, type, prompt, () => File.ReadAllBytes(image)));
        }
        if (missing.Count > 0)
            throw new BenchmarkFilesMissingException(
                $"{missing.Count} ImgEdit source image(s) named in {jsonPath} are missing (first: {string.Join(", ", missing.Take(3))}). {DownloadHint(root)}", root);

        var warnings = items.Count == PublishedItems ? [] : new List<string>
        {
            $"ImgEdit-Bench Basic has {PublishedItems} items in basic_edit.json; {jsonPath} holds {items.Count}. Scores are not comparable to published ones.",
        };
        return new EvalBenchmark("imgedit-basic", BenchmarkKind.ImgEdit, root, items) { Warnings = warnings };
    }

    private static string Field(JsonProperty entry, string name, string path) =>
        entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new FormatException($"{path}: entry '{entry.Name}' has no string field '{name}'.");

    private static string NormaliseType(string type, string key, string path)
    {
        var t = type.Trim().ToLowerInvariant();
        // basic_edit.json says "alter" for what the paper's tables call Adjust; "hybrid" is the tables' name for "compose".
        t = t switch { "alter" => "adjust", "hybrid" => "compose", _ => t };
        return Types.Contains(t)
            ? t
            : throw new FormatException($"{path}: entry '{key}' has edit_type '{type}'; ImgEdit Basic types are {string.Join(", ", Types)} (alter is read as adjust).");
    }

    private static string? FindImage(string root, string id) =>
        new[] { Path.Combine(root, id), Path.Combine(root, "singleturn", id) }.FirstOrDefault(File.Exists);
}
