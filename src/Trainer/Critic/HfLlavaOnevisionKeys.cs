using System.Text.RegularExpressions;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// The explicit key map from Hugging Face LLaVA-OneVision checkpoints to <see cref="Models.Critic.LlavaOnevisionModel"/>.
/// Both layouts are accepted:
/// <list type="table">
/// <item><term>transformers ≥ 4.52 / 5.x</term><description><c>model.vision_tower.vision_model.X</c>, <c>model.multi_modal_projector.X</c>, <c>model.language_model.X</c>, <c>model.image_newline</c>, <c>lm_head.weight</c></description></item>
/// <item><term>hub checkpoints (older)</term><description><c>vision_tower.vision_model.X</c>, <c>multi_modal_projector.X</c>, <c>language_model.model.X</c>, <c>language_model.lm_head.weight</c>, <c>image_newline</c></description></item>
/// </list>
/// Both map to <c>vision_tower.X</c>, <c>multi_modal_projector.X</c>, <c>language_model.X</c>, <c>image_newline</c>,
/// <c>lm_head.weight</c>. SigLIP's post-LayerNorm, pooling head and position-id buffer are dropped: the
/// feature layer is read before them.
/// </summary>
public static partial class HfLlavaOnevisionKeys
{
    /// <summary>Our key for <paramref name="hfKey"/>, or null for a tensor the model does not use.</summary>
    public static string? Map(string hfKey)
    {
        var key = hfKey;
        if (key.StartsWith("model.", StringComparison.Ordinal))
            key = key["model.".Length..];
        if (key.StartsWith("language_model.model.", StringComparison.Ordinal))
            key = "language_model." + key["language_model.model.".Length..];
        else if (key == "language_model.lm_head.weight")
            key = "lm_head.weight";
        if (key.StartsWith("vision_tower.vision_model.", StringComparison.Ordinal))
            key = "vision_tower." + key["vision_tower.vision_model.".Length..];
        if (DroppedPattern().IsMatch(key))
            return null;
        return KnownPattern().IsMatch(key) ? key
            : throw new InvalidDataException($"Unknown LLaVA-OneVision checkpoint key '{hfKey}'; the key map does not cover it.");
    }

    [GeneratedRegex(@"^vision_tower\.(post_layernorm\.|head\.|embeddings\.position_ids$)")]
    private static partial Regex DroppedPattern();

    [GeneratedRegex(@"^(vision_tower\.(embeddings|encoder)\.|multi_modal_projector\.|language_model\.(embed_tokens|layers|norm)\.|image_newline$|lm_head\.weight$)")]
    private static partial Regex KnownPattern();
}
