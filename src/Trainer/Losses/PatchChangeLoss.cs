using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// Cross-entropy of the decoder's read-out, at each of the second image's patch positions, of whether that patch
/// differs from the first image (what the scene shows there, the background, the style or the render quality).
/// Comparing the two images position by position is what edit verification and identity preservation rest on;
/// this teaches it densely instead of through one Yes/No bit per question.
/// </summary>
public static class PatchChangeLoss
{
    /// <param name="logits">(K, 2) read-out at the second image's patch positions.</param>
    /// <param name="changed">(K,) 1 where the patch changed, else 0.</param>
    public static Tensor Compute(Tensor logits, Tensor changed) => nn.functional.cross_entropy(logits, changed);
}
