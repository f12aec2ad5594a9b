using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>Helpers for adaptive layer norm conditioning (DiT §3.2).</summary>
public static class AdaLN
{
    /// <summary>The multiplier of the fused multiply-adds, made once: a Scalar is a native object.</summary>
    private static readonly Scalar One = 1.0.ToScalar();

    /// <summary>
    /// x·(1 + scale) + shift, DiT's <c>modulate</c>, as one fused multiply-add on the token tensor (the 1 + scale is on
    /// the small per-segment tensor): a step is launch-bound at small sizes, so every kernel on (N, S, D) counts.
    /// </summary>
    public static Tensor Modulate(Tensor x, Tensor shift, Tensor scale) => addcmul(shift, x, scale + 1, One);

    /// <summary>x + gate·branch, adaLN-Zero's gated residual, as one fused multiply-add.</summary>
    public static Tensor GatedResidual(Tensor x, Tensor gate, Tensor branch) => addcmul(x, gate, branch, One);

    /// <summary>
    /// Expands per-segment modulation (N, K, M) to per-token (N, S, M) by a segment index of length S;
    /// with one segment it stays (N, 1, M) and broadcasts. Computing the adaLN MLP once per segment
    /// instead of once per token keeps its cost negligible.
    /// </summary>
    public static Tensor PerToken(Tensor modulation, Tensor segment) =>
        modulation.shape[1] == 1 ? modulation : modulation.index_select(1, segment);
}
