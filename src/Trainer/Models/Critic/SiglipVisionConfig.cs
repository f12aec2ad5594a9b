namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// Sizes of the SigLIP vision tower. Property names map to Hugging Face's <c>SiglipVisionConfig</c> fields
/// in snake case (<c>hidden_size</c>, <c>num_hidden_layers</c>, …). Defaults: LLaVA-OneVision's
/// so400m-patch14-384 with 26 layers (the conversion drops the last of 27), 729 tokens per 384-px image.
/// </summary>
public sealed record SiglipVisionConfig
{
    public int HiddenSize { get; init; } = 1152;
    public int IntermediateSize { get; init; } = 4304;
    public int NumHiddenLayers { get; init; } = 26;
    public int NumAttentionHeads { get; init; } = 16;
    public int NumChannels { get; init; } = 3;
    public int ImageSize { get; init; } = 384;
    public int PatchSize { get; init; } = 14;
    public double LayerNormEps { get; init; } = 1e-6;

    /// <summary>Image tokens per image: ⌊image_size / patch_size⌋².</summary>
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Rejects sizes the tower cannot be built with.</summary>
    public SiglipVisionConfig Validate()
    {
        if (HiddenSize <= 0 || IntermediateSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || PatchSize <= 0)
            throw new ArgumentException("vision_config: hidden_size, intermediate_size, num_hidden_layers, num_attention_heads and patch_size must be positive.");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"vision_config: hidden_size {HiddenSize} must be divisible by num_attention_heads {NumAttentionHeads}.");
        // Not a multiple: the stride-p patch convolution drops the remainder, as so400m-patch14-384 does (384 = 27·14 + 6).
        if (ImageSize < PatchSize)
            throw new ArgumentException($"vision_config: image_size {ImageSize} must be at least patch_size {PatchSize}.");
        return this;
    }
}
