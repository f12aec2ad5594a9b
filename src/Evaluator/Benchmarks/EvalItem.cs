using NpEdit.ShapesWorld.Bench;

namespace NpEdit.Evaluator.Benchmarks;

/// <summary>
/// One benchmark input, whatever the benchmark: a key unique within it, the group its scores are averaged in
/// (GEdit task type, ImgEdit edit type, DreamBooth subject kind, ShapesWorld edit type), the instruction or
/// prompt, and the source image (read on demand: GEdit keeps 606 encoded images in Parquet).
/// </summary>
public sealed record EvalItem(string Key, string Group, string Instruction, Func<byte[]> LoadSource)
{
    /// <summary>GEdit's <c>Intersection_exist</c>: the item belongs to the intersection subset.</summary>
    public bool InIntersection { get; init; }

    public string Language { get; init; } = "en";

    /// <summary>DreamBooth subject folder (e.g. <c>dog6</c>) or the ShapesWorld object name.</summary>
    public string? Subject { get; init; }

    /// <summary>DreamBooth class noun (e.g. <c>dog</c>).</summary>
    public string? SubjectClass { get; init; }

    /// <summary>The ShapesWorld-Bench item behind this one, for ground-truth scoring.</summary>
    public BenchItem? ShapesItem { get; init; }
}
