using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NpEdit.Core.Tracking;

namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>One chat request: a system and a user text plus images (PNG/JPEG bytes), sent as base64 data URLs.</summary>
/// <param name="Prompt">Which prompt this is (e.g. <c>app-d/validity-and-caption.v1</c>), for accounting.</param>
public sealed record VlmRequest(string Prompt, string? System, string User, IReadOnlyList<VlmImage> Images)
{
    public float Temperature { get; init; } = 0.7f;
    public long? Seed { get; init; }
    public int MaxOutputTokens { get; init; } = 1024;

    /// <summary>
    /// sha256 over everything that determines the reply (model, texts, image hashes, sampling settings), so the
    /// same request to the same model hits the cache whichever endpoint serves it.
    /// </summary>
    public string Hash(string model)
    {
        var canonical = new JsonObject
        {
            ["model"] = model,
            ["system"] = System,
            ["user"] = User,
            ["images"] = new JsonArray(Images.Select(i => JsonValue.Create(i.Sha256)).ToArray<JsonNode?>()),
            // CanonicalJson reads numbers as doubles; a long seed goes as text so no digit is lost.
            ["temperature"] = (double)Temperature,
            ["seed"] = Seed?.ToString(CultureInfo.InvariantCulture),
            ["max_output_tokens"] = (double)MaxOutputTokens,
        };
        return CanonicalJson.Hash(canonical);
    }
}
