using System.Text.Json.Serialization;
using NpEdit.Core.Shards;

namespace NpEdit.Evaluator.Benchmarks;

/// <summary>
/// One row of the Hugging Face dataset <c>stepfun-ai/GEdit-Bench</c> (split <c>train</c>) as its Parquet files
/// store it. Every column is nullable, as <c>datasets</c>/pyarrow write them.
/// </summary>
public sealed class GEditBenchRow
{
    [JsonPropertyName("task_type")] public string? TaskType { get; set; }
    [JsonPropertyName("key")] public string? Key { get; set; }
    [JsonPropertyName("instruction")] public string? Instruction { get; set; }
    [JsonPropertyName("instruction_language")] public string? InstructionLanguage { get; set; }
    [JsonPropertyName("input_image")] public HfImage? InputImage { get; set; }
    [JsonPropertyName("input_image_raw")] public HfImage? InputImageRaw { get; set; }
    [JsonPropertyName("Intersection_exist")] public bool? IntersectionExist { get; set; }
}
