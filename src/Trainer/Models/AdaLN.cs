using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>Helpers for adaptive layer norm conditioning (DiT §3.2).</summary>
public static class AdaLN
{
    /// <summary>x·(1 + scale) + shift, DiT's <c>modulate</c>.</summary>
    public static Tensor Modulate(Tensor x, Tensor shift, Tensor scale) => x * (scale + 1) + shift;

    /// <summary>
    /// Expands per-segment modulation (N, K, M) to per-token (N, S, M) by a segment index of length S;
    /// with one segment it stays (N, 1, M) and broadcasts. Computing the adaLN MLP once per segment
    /// instead of once per token keeps its cost negligible.
    /// </summary>
    public static Tensor PerToken(Tensor modulation, Tensor segment) =>
        modulation.shape[1] == 1 ? modulation : modulation.index_select(1, segment);
}
