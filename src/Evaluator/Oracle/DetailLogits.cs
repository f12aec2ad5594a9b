using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The detail branch's own logits for the fine-grained heads, (B, 9, K) each: the part it adds to
/// <see cref="SceneParserOutput"/>'s Shape, Size, Pattern and Rotation. Training also scores them alone
/// (<see cref="OracleLoss"/>), so a branch grown onto a trained network learns from every object, not only from those
/// the rest still misreads.
/// </summary>
public sealed record DetailLogits(Tensor Shape, Tensor Size, Tensor Pattern, Tensor Rotation);
