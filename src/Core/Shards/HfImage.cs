using System.Text.Json.Serialization;

namespace NpEdit.Core.Shards;

/// <summary>
/// The Hugging Face <c>datasets</c> Image feature as stored in Parquet: <c>struct{bytes: binary, path: string}</c>.
/// With the <c>huggingface</c> file metadata naming the column an Image, <c>datasets</c> decodes it to PIL.
/// </summary>
public sealed class HfImage
{
    /// <summary>The encoded file (PNG or JPEG), exactly as it would be on disk.</summary>
    [JsonPropertyName("bytes")] public byte[] Bytes { get; set; } = [];

    /// <summary>A file name for the image (informational; the bytes are authoritative).</summary>
    [JsonPropertyName("path")] public string Path { get; set; } = "";
}
