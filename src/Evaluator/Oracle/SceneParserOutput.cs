using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Raw head outputs of <see cref="SceneParserNet"/> for a batch of B images. Per-cell tensors are (B, 9, K) in
/// <see cref="OracleLabels"/> order; global ones are (B, K). Rotation is logits over
/// <see cref="OracleLabels.RotationBins"/> 15° bins of order × angle;
/// jitter is the object's offset in units of 15% of a cell. <see cref="Detail"/> is the detail branch's share of the
/// fine-grained heads (null for a network without the branch).
/// </summary>
public sealed record SceneParserOutput(
    Tensor Occupancy,
    Tensor Shape,
    Tensor Color,
    Tensor Size,
    Tensor Pattern,
    Tensor Rotation,
    Tensor Jitter,
    Tensor Character,
    Tensor BackgroundKind,
    Tensor BackgroundTint,
    Tensor Style,
    DetailLogits? Detail = null);
