using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// The critic's vision warm-start (a stand-in for SigLIP's own pretraining): each head's cross-entropy between
/// what the image features predict and what the scene shows, summed over heads, so every label counts alike.
/// </summary>
public static class SceneLabelLoss
{
    /// <param name="logits">Per head (K, C_h) logits.</param>
    /// <param name="targets">Per head (K,) class indices.</param>
    public static Tensor Compute(IReadOnlyList<Tensor> logits, IReadOnlyList<Tensor> targets)
    {
        if (logits.Count != targets.Count || logits.Count == 0)
            throw new ArgumentException($"Scene-label loss needs one target per head; got {logits.Count} heads and {targets.Count} targets.");
        var total = nn.functional.cross_entropy(logits[0], targets[0]);
        for (var h = 1; h < logits.Count; h++)
            total = total + nn.functional.cross_entropy(logits[h], targets[h]);
        return total;
    }
}
