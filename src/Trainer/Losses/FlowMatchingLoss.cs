using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// The flow-matching objective ‖(ε − x) − v_θ(x_t, t)‖² (paper Eq. 1). Used by the identity warmup
/// (reconstruct y under c^y with y as reference, Algorithm 1), by the auxiliary model A_φ on generator
/// samples, and by the SFT baseline on ground-truth pairs.
/// </summary>
public static class FlowMatchingLoss
{
    /// <param name="predicted">(N, C, H, W) v_θ(x_t, t).</param>
    /// <param name="x">(N, C, H, W) the clean sample the path starts from.</param>
    /// <param name="noise">(N, C, H, W) the ε the path ends at.</param>
    /// <param name="name">Prefix of the logged value, e.g. <c>warmup</c> or <c>aux</c>.</param>
    public static LossTerms Compute(Tensor predicted, Tensor x, Tensor noise, string name)
    {
        var loss = nn.functional.mse_loss(predicted, FlowMatching.Velocity(x, noise));
        return new LossTerms(loss, new Dictionary<string, double> { [$"loss/{name}"] = loss.item<float>() });
    }
}
