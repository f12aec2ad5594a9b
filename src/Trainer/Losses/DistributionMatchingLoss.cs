using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// DMD in x0 form (paper Eq. 5; DMD2 <c>compute_distribution_matching_loss</c>; the NP-Edit repo's flow version).
/// With x_t re-noised from the generator output x, the teacher (with CFG) and the auxiliary model A_φ each
/// predict a clean image; their difference, normalised by the teacher's error, is the KL gradient:
///   w = mean_{CHW} |x − x̂0_real|,  g = (x̂0_fake − x̂0_real) / w,  L = ½·‖x − sg(x − g)‖² / numel.
/// Its gradient w.r.t. x is g / numel, so a descent step moves x toward the teacher's x̂0 and away from A_φ's.
/// </summary>
public static class DistributionMatchingLoss
{
    /// <param name="x">(N, C, H, W) the generator's output, attached to the graph.</param>
    /// <param name="x0Real">(N, C, H, W) the frozen teacher's x̂0 with classifier-free guidance (no grad).</param>
    /// <param name="x0Fake">(N, C, H, W) A_φ's x̂0 without guidance (no grad).</param>
    public static LossTerms Compute(Tensor x, Tensor x0Real, Tensor x0Fake)
    {
        Tensor grad, weight;
        using (no_grad())
        {
            var detached = x.detach();
            weight = (detached - x0Real).abs().mean([1, 2, 3], keepdim: true).clamp_min(1e-8);  // (N, 1, 1, 1)
            grad = ((x0Fake - x0Real) / weight).nan_to_num(0.0, 0.0, 0.0);                     // (N, C, H, W)
        }
        var target = (x.detach() - grad).detach();
        var loss = 0.5 * nn.functional.mse_loss(x, target);
        return new LossTerms(loss, new Dictionary<string, double>
        {
            ["loss/dmd"] = loss.item<float>(),
            ["dmd/grad_norm"] = grad.flatten(1).norm(1).mean().item<float>(),
            ["dmd/weight"] = weight.mean().item<float>(),
        });
    }
}
