using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// Cross-entropy of the answer position's read-out of (question family, candidate kind): correct edit, no-op,
/// wrong, partial or over-edit, noisy, blurred, object present or absent. The Yes/No answer is a function of
/// this pair, but each family answers the same kind differently (a noisy target is a Yes for edit verification
/// and a No for identity), so from Yes/No alone the first-order signal cancels across families; naming the
/// pair gives the answer position a first-order target to learn from.
/// </summary>
public static class CandidateKindLoss
{
    /// <param name="logits">(N, C) read-out at the answer position.</param>
    /// <param name="targets">(N,) class index of (family, kind).</param>
    public static Tensor Compute(Tensor logits, Tensor targets) => nn.functional.cross_entropy(logits, targets);
}
