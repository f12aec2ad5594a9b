using System.Text.Json.Serialization;

namespace NpEdit.ShapesWorld.Corpus;

/// <summary>The Hugging Face <c>Image</c> feature's Arrow layout: <c>struct{bytes: binary, path: string}</c>.</summary>
public sealed class HfImage
{
    [JsonPropertyName("bytes")] public byte[] Bytes { get; set; } = [];
    [JsonPropertyName("path")] public string Path { get; set; } = "";
}
