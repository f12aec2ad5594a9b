using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// A DiT block with adaLN-Zero conditioning (DiT Fig. 3): pre-norm attention and MLP whose norms are
/// shifted/scaled and whose residual branches are gated by a zero-initialised regression from the
/// conditioning c, so every block starts as the identity.
/// </summary>
public sealed class DiTBlock : nn.Module<Tensor, Tensor, Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;
    private readonly Sequential adaLN_modulation;

    public DiTBlock(int hidden, int numHeads, int mlpHidden) : base(nameof(DiTBlock))
    {
        norm1 = nn.LayerNorm(hidden, eps: 1e-6, elementwise_affine: false);
        attn = new Attention(hidden, numHeads);
        norm2 = nn.LayerNorm(hidden, eps: 1e-6, elementwise_affine: false);
        mlp = new Mlp(hidden, mlpHidden);
        adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden, 6 * hidden));
        RegisterComponents();
    }

    /// <summary>The regression from c to (shift, scale, gate)×2, zero-initialised by <see cref="DiT"/>.</summary>
    internal Linear Modulation => (Linear)adaLN_modulation[1];

    /// <param name="x">(N, S, D) tokens.</param>
    /// <param name="c">(N, K, D) conditioning per segment (K = 1: one c for every token).</param>
    /// <param name="segment">(S,) int64 index of each token's segment in c.</param>
    /// <param name="mask">(N, 1, 1, S) bool key mask, or null.</param>
    /// <returns>(N, S, D)</returns>
    public override Tensor forward(Tensor x, Tensor c, Tensor segment, Tensor? mask)
    {
        // One scope per block frees the temporaries autograd did not save now rather than at the end of the step,
        // as PyTorch's reference counting does; without it a step held them all (bench/RESULTS.md, memory).
        using var scope = NewDisposeScope();
        var mod = AdaLN.PerToken(adaLN_modulation.call(c), segment).chunk(6, dim: -1); // 6 × (N, S|1, D)
        var (shiftMsa, scaleMsa, gateMsa, shiftMlp, scaleMlp, gateMlp) = (mod[0], mod[1], mod[2], mod[3], mod[4], mod[5]);
        x = AdaLN.GatedResidual(x, gateMsa, attn.call(AdaLN.Modulate(norm1.call(x), shiftMsa, scaleMsa), mask));
        x = AdaLN.GatedResidual(x, gateMlp, mlp.call(AdaLN.Modulate(norm2.call(x), shiftMlp, scaleMlp)));
        return x.MoveToOuterDisposeScope();                                                // (N, S, D)
    }
}
