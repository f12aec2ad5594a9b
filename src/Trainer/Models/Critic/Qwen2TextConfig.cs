namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// Sizes of the Qwen2 decoder. Property names map to Hugging Face's <c>Qwen2Config</c> fields in snake case.
/// Defaults: Qwen2-0.5B-Instruct (hidden 896, 24 layers, 14 heads, 2 KV heads, FFN 4864, θ = 10⁶, tied head).
/// </summary>
public sealed record Qwen2TextConfig
{
    public int VocabSize { get; init; } = 151936;
    public int HiddenSize { get; init; } = 896;
    public int IntermediateSize { get; init; } = 4864;
    public int NumHiddenLayers { get; init; } = 24;
    public int NumAttentionHeads { get; init; } = 14;
    public int NumKeyValueHeads { get; init; } = 2;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 1_000_000.0;
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Per-head width (Qwen2: hidden_size / num_attention_heads).</summary>
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Rejects sizes the decoder cannot be built with.</summary>
    public Qwen2TextConfig Validate()
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || IntermediateSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || NumKeyValueHeads <= 0)
            throw new ArgumentException("text_config: vocab_size, hidden_size, intermediate_size, num_hidden_layers and the head counts must be positive.");
        if (HiddenSize % NumAttentionHeads != 0 || HeadDim % 2 != 0)
            throw new ArgumentException($"text_config: hidden_size {HiddenSize} must split into num_attention_heads {NumAttentionHeads} heads of even width (RoPE rotates pairs).");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw new ArgumentException($"text_config: num_attention_heads {NumAttentionHeads} must be a multiple of num_key_value_heads {NumKeyValueHeads} (grouped-query attention).");
        if (RopeTheta <= 0 || RmsNormEps <= 0)
            throw new ArgumentException($"text_config: rope_theta ({RopeTheta}) and rms_norm_eps ({RmsNormEps}) must be positive.");
        return this;
    }
}
