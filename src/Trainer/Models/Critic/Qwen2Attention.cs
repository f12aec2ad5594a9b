using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// Qwen2 grouped-query self-attention: q/k/v projections with bias, o_proj without, RoPE on q and k,
/// each of the num_key_value_heads k/v heads shared by num_attention_heads / num_key_value_heads query heads.
/// </summary>
public sealed class Qwen2Attention : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear o_proj;
    private readonly int numHeads;
    private readonly int numKeyValueHeads;
    private readonly int headDim;

    public Qwen2Attention(Qwen2TextConfig config) : base(nameof(Qwen2Attention))
    {
        (numHeads, numKeyValueHeads, headDim) = (config.NumAttentionHeads, config.NumKeyValueHeads, config.HeadDim);
        q_proj = nn.Linear(config.HiddenSize, numHeads * headDim, hasBias: true);
        k_proj = nn.Linear(config.HiddenSize, numKeyValueHeads * headDim, hasBias: true);
        v_proj = nn.Linear(config.HiddenSize, numKeyValueHeads * headDim, hasBias: true);
        o_proj = nn.Linear(numHeads * headDim, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <param name="x">(N, L, D)</param>
    /// <param name="mask">(N, 1, L, L) bool, true where a query may attend a key.</param>
    /// <param name="cos">(N, 1, L, d) RoPE table.</param>
    /// <param name="sin">(N, 1, L, d) RoPE table.</param>
    /// <returns>(N, L, D)</returns>
    public override Tensor forward(Tensor x, Tensor mask, Tensor cos, Tensor sin)
    {
        var (n, l) = (x.shape[0], x.shape[1]);
        var q = q_proj.call(x).view(n, l, numHeads, headDim).transpose(1, 2);           // (N, Hq, L, d)
        var k = k_proj.call(x).view(n, l, numKeyValueHeads, headDim).transpose(1, 2);   // (N, Hkv, L, d)
        var v = v_proj.call(x).view(n, l, numKeyValueHeads, headDim).transpose(1, 2);   // (N, Hkv, L, d)
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        var group = numHeads / numKeyValueHeads;
        if (group > 1)
        {
            // TorchSharp's SDPA has no enable_gqa: repeat each k/v head for its query group (HF repeat_kv).
            k = k.repeat_interleave(group, dim: 1);
            v = v.repeat_interleave(group, dim: 1);
        }
        var y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);    // (N, Hq, L, d)
        return o_proj.call(y.transpose(1, 2).reshape(n, l, numHeads * headDim));       // (N, L, D)
    }
}
