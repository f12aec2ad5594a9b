using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// Cross-entropy of the decoder's read-out, at each patch position of the image a question is about, of whether that
/// patch agrees with the question: it shows the named object (presence), it looks as the instruction's result does
/// there (edit verification), or it is unchanged or changed only as instructed (identity preservation). With the
/// question before the images every patch can see the question, so this teaches the name↔image binding densely, one
/// target per patch, where the Yes/No loss (Eq. 4) gives one bit per question; the answer then only pools (any patch
/// for presence, all patches for the two-image families).
/// </summary>
public static class PatchGroundingLoss
{
    /// <param name="logits">(K, 2) read-out at the candidate's patch positions.</param>
    /// <param name="agrees">(K,) 1 where the patch agrees with the question, else 0.</param>
    public static Tensor Compute(Tensor logits, Tensor agrees) => nn.functional.cross_entropy(logits, agrees);
}
