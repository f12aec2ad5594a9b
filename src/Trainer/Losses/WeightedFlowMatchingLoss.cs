using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// The flow-matching objective of paper Eq. 1 with a per-pixel weight w:
/// Σ w·‖(ε − x) − v_θ(x_t, t)‖² / (C·Σ w). Normalising by the total weight keeps the scale of the plain
/// loss (w = 1 gives exactly the mean squared error), so a weight map only moves emphasis between pixels;
/// G_init pretraining uses it to stop a few-pixel object from drowning in the background's loss.
/// </summary>
public static class WeightedFlowMatchingLoss
{
    /// <param name="predicted">(N, C, H, W) v_θ(x_t, t).</param>
    /// <param name="x">(N, C, H, W) the clean sample the path starts from.</param>
    /// <param name="noise">(N, C, H, W) the ε the path ends at.</param>
    /// <param name="weights">(N, 1, H, W) non-negative pixel weights, shared by the channels.</param>
    /// <returns>A scalar tensor attached to the graph.</returns>
    public static Tensor Compute(Tensor predicted, Tensor x, Tensor noise, Tensor weights)
    {
        if (weights.dim() != 4 || weights.shape[0] != x.shape[0] || weights.shape[1] != 1 || weights.shape[2] != x.shape[2] || weights.shape[3] != x.shape[3])
            throw new ArgumentException(
                $"weights have shape ({string.Join(", ", weights.shape)}); expected (N, 1, H, W) = ({x.shape[0]}, 1, {x.shape[2]}, {x.shape[3]}).", nameof(weights));
        var squared = (predicted - FlowMatching.Velocity(x, noise)).square();   // (N, C, H, W)
        return (squared * weights).sum() / (weights.sum() * x.shape[1]);       // scalar
    }
}
