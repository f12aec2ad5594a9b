using System.Text.Json.Serialization;
using NpEdit.ShapesWorld.Edits;

namespace NpEdit.ShapesWorld.Bench;

/// <summary>
/// One benchmark input as stored in <c>items.jsonl</c>: the input image path, the instruction (and its other
/// phrasings), the object name for removal/customization, and the seeds that let <see cref="Evaluation.GroundTruth"/>
/// recompute the target. No target scene or image is stored.
/// </summary>
public sealed record BenchItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("edit_type")] EditType Type,
    [property: JsonPropertyName("instruction")] string Instruction,
    [property: JsonPropertyName("paraphrases")] IReadOnlyList<string> Paraphrases,
    [property: JsonPropertyName("object_name")] string? ObjectName,
    [property: JsonPropertyName("image")] string ImagePath,
    [property: JsonPropertyName("scene_seed")] ulong SceneSeed,
    [property: JsonPropertyName("edit_seed")] ulong EditSeed);
