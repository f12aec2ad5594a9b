using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// The Qwen2 decoder without its LM head (HF's <c>Qwen2Model</c>): token embeddings, causal pre-norm layers
/// with RoPE, a final RMSNorm. Takes embeddings rather than ids so image features can be spliced in first.
/// </summary>
public sealed class Qwen2Model : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding embed_tokens;
    private readonly ModuleList<Qwen2DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly Qwen2TextConfig config;

    public Qwen2Model(Qwen2TextConfig config) : base(nameof(Qwen2Model))
    {
        this.config = config;
        embed_tokens = nn.Embedding(config.VocabSize, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new Qwen2DecoderLayer(config)).ToArray());
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        RegisterComponents();
    }

    /// <summary>The input embedding table (V, D); also the output head when word embeddings are tied.</summary>
    public Parameter EmbeddingWeight => embed_tokens.weight!;

    /// <param name="ids">(N, L) int64.</param>
    /// <returns>(N, L, D)</returns>
    public Tensor Embed(Tensor ids) => embed_tokens.call(ids);

    /// <param name="embeds">(N, L, D) input embeddings (text and spliced image features).</param>
    /// <param name="attentionMask">(N, L) bool, true for real tokens; padding goes on the left so every row ends at its answer position.</param>
    /// <returns>(N, L, D) final hidden states after the last RMSNorm.</returns>
    public override Tensor forward(Tensor embeds, Tensor attentionMask)
    {
        var l = embeds.shape[1];
        // Positions count real tokens only, so a left-padded row sees the same positions as when run alone.
        var positions = (attentionMask.to(int64).cumsum(1) - 1).clamp_min(0);                 // (N, L)
        var (cos, sin) = RotaryEmbedding.Tables(positions, config.HeadDim, config.RopeTheta, embeds.dtype);
        var causal = ones(l, l, dtype: @bool, device: embeds.device).tril();                   // (L, L)
        var keys = attentionMask.unsqueeze(1).unsqueeze(1);                                   // (N, 1, 1, L)
        // Every query also sees itself, so padded rows are never fully masked (no NaN); real rows are unaffected.
        var mask = (causal & keys) | eye(l, dtype: @bool, device: embeds.device);             // (N, 1, L, L)
        var x = embeds;
        foreach (var layer in layers)
            x = layer.call(x, mask, cos, sin);
        return norm.call(x);
    }
}
