using System.Text.Json.Serialization;

namespace NpEdit.Core.Shards;

/// <summary>
/// One row of an edit dataset shard: the reference image y with its caption c^y, the instruction c, and the
/// edited-image caption c^x that the teacher and the auxiliary model are prompted with (paper §4, App. D).
/// There is never a target image: NP-Edit trains without pairs. Column names are the Parquet names.
/// </summary>
public sealed class EditSample
{
    /// <summary>Deterministic row id: sha256 of (source image hash, normalised instruction), so reruns dedupe.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";

    /// <summary>The id of the source image in its input corpus.</summary>
    [JsonPropertyName("source_id")] public string SourceId { get; set; } = "";

    /// <summary>The reference image y (RGB, resized as sent to the VLM).</summary>
    [JsonPropertyName("source_image")] public HfImage SourceImage { get; set; } = new();

    /// <summary>sha256 (hex) of <see cref="SourceImage"/>'s bytes.</summary>
    [JsonPropertyName("source_sha256")] public string SourceSha256 { get; set; } = "";

    /// <summary>c^y: the caption of the source image.</summary>
    [JsonPropertyName("source_caption")] public string SourceCaption { get; set; } = "";

    /// <summary>c: the edit instruction the generator is prompted with.</summary>
    [JsonPropertyName("instruction")] public string Instruction { get; set; } = "";

    /// <summary>One of <see cref="EditType"/>.</summary>
    [JsonPropertyName("edit_type")] public string EditType { get; set; } = "";

    /// <summary>c^x: the caption of the edited image, free of instruction words (App. D).</summary>
    [JsonPropertyName("edited_caption")] public string EditedCaption { get; set; } = "";

    /// <summary>The object removed (removal) or customised (customization); empty otherwise.</summary>
    [JsonPropertyName("object_name")] public string ObjectName { get; set; } = "";

    /// <summary><see cref="EditTask.Local"/> or <see cref="EditTask.Customization"/>.</summary>
    [JsonPropertyName("task")] public string Task { get; set; } = EditTask.Local;

    /// <summary>The VLM's reasoning from the validity check, kept for audits.</summary>
    [JsonPropertyName("validity_reasoning")] public string ValidityReasoning { get; set; } = "";

    /// <summary>The model that wrote the instruction (e.g. Qwen/Qwen2.5-VL-32B-Instruct).</summary>
    [JsonPropertyName("model")] public string Model { get; set; } = "";

    /// <summary>Version of the prompt files used (e.g. app-d/v1).</summary>
    [JsonPropertyName("prompt_version")] public string PromptVersion { get; set; } = "";

    [JsonPropertyName("created_at")] public DateTime CreatedAt { get; set; }
}
