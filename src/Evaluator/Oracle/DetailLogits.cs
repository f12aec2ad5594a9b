using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The fine-grained heads (shape, size, pattern, rotation) read from the detail branch alone, (B, 9, K) each, by heads
/// that only training uses (<see cref="OracleLoss"/> scores them). The network's answer adds the branch through separate
/// heads that start at zero under a trained network's confident logits, so their loss reaches the branch only through
/// the objects that network still misreads, and faintly: scored alone, it learns from every object.
/// </summary>
public sealed record DetailLogits(Tensor Shape, Tensor Size, Tensor Pattern, Tensor Rotation);
