using NpEdit.Core.Shards;
using System.Text.Json.Serialization;

namespace NpEdit.ShapesWorld.Corpus;

/// <summary>
/// One corpus row: a source image (PNG) with its captions, scene JSON and seed. Training-facing:
/// it never carries an edit target.
/// </summary>
public sealed class CorpusRow
{
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("seed")] public long Seed { get; set; }
    [JsonPropertyName("image")] public HfImage Image { get; set; } = new();
    [JsonPropertyName("width")] public int Width { get; set; }
    [JsonPropertyName("height")] public int Height { get; set; }
    [JsonPropertyName("caption_short")] public string CaptionShort { get; set; } = "";
    [JsonPropertyName("caption_detailed")] public string CaptionDetailed { get; set; } = "";
    [JsonPropertyName("caption_alt")] public string CaptionAlt { get; set; } = "";
    [JsonPropertyName("scene_json")] public string SceneJson { get; set; } = "";
}
