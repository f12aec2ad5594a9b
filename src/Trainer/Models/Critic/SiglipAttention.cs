using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>SigLIP self-attention: separate q/k/v/out projections with bias, no mask, scale 1/√d_head.</summary>
public sealed class SiglipAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear q_proj;
    private readonly Linear k_proj;
    private readonly Linear v_proj;
    private readonly Linear out_proj;
    private readonly int numHeads;

    public SiglipAttention(SiglipVisionConfig config) : base(nameof(SiglipAttention))
    {
        numHeads = config.NumAttentionHeads;
        q_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        k_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        v_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        out_proj = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="x">(N, T, D)</param>
    /// <returns>(N, T, D)</returns>
    public override Tensor forward(Tensor x)
    {
        var (n, t, d) = (x.shape[0], x.shape[1], x.shape[2]);
        Tensor Heads(Linear proj) => proj.call(x).view(n, t, numHeads, d / numHeads).transpose(1, 2);   // (N, H, T, d)
        var y = nn.functional.scaled_dot_product_attention(Heads(q_proj), Heads(k_proj), Heads(v_proj)); // (N, H, T, d)
        return out_proj.call(y.transpose(1, 2).reshape(n, t, d));                                        // (N, T, D)
    }
}
