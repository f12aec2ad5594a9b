using System.Text.Json;

namespace NpEdit.Core.Shards;

/// <summary>
/// The edit-dataset shard format, owned here and shared by the DatasetBuilder's writer and the Trainer's
/// reader. Bump <see cref="Version"/> on any change of columns or meaning; readers refuse other versions.
/// </summary>
public static class ShardSchema
{
    public const int Version = 1;

    /// <summary>File metadata key holding <see cref="Version"/>.</summary>
    public const string VersionKey = "npedit.shard_schema_version";

    /// <summary>File metadata key read by Hugging Face <c>datasets</c> to type the columns.</summary>
    public const string HuggingFaceKey = "huggingface";

    private static readonly object Str = new { dtype = "string", _type = "Value" };

    /// <summary>The <c>huggingface</c> features: <c>source_image</c> decodes as an Image, the rest as values.</summary>
    public static string HuggingFaceFeatures { get; } = JsonSerializer.Serialize(new
    {
        info = new
        {
            features = new Dictionary<string, object>
            {
                ["id"] = Str,
                ["source_id"] = Str,
                ["source_image"] = new { _type = "Image" },
                ["source_sha256"] = Str,
                ["source_caption"] = Str,
                ["instruction"] = Str,
                ["edit_type"] = Str,
                ["edited_caption"] = Str,
                ["object_name"] = Str,
                ["task"] = Str,
                ["validity_reasoning"] = Str,
                ["model"] = Str,
                ["prompt_version"] = Str,
                ["created_at"] = new { dtype = "timestamp[us]", _type = "Value" },
            },
        },
    });

    /// <summary>The file metadata every shard carries.</summary>
    public static Dictionary<string, string> FileMetadata() => new()
    {
        [HuggingFaceKey] = HuggingFaceFeatures,
        [VersionKey] = Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
