using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// The do-nothing regulariser (paper App. E.1): with a small probability the instruction becomes
/// "do nothing" and the output is pulled to the input with an L2 loss.
/// </summary>
public static class DoNothingLoss
{
    /// <param name="x">(N, C, H, W) the generator's output for the do-nothing instruction.</param>
    /// <param name="reference">(N, C, H, W) the input image y.</param>
    public static LossTerms Compute(Tensor x, Tensor reference)
    {
        var loss = nn.functional.mse_loss(x, reference.detach());
        return new LossTerms(loss, new Dictionary<string, double> { ["loss/do_nothing"] = loss.item<float>() });
    }
}
