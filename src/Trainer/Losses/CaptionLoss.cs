using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// Next-token cross-entropy on the words the images show (LLaVA's captioning stages: the question's own object name or
/// edit instruction, or the full scene caption after an image): the critic learns to say what it sees before it is
/// asked to judge it.
/// </summary>
public static class CaptionLoss
{
    /// <param name="logits">(K, V) logits at the positions just before each caption token.</param>
    /// <param name="targets">(K,) the caption tokens.</param>
    public static Tensor Compute(Tensor logits, Tensor targets) => nn.functional.cross_entropy(logits, targets);
}
