using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The parser's training loss: the sum of one cross-entropy per classification head (averaged over the cells or
/// scenes where the attribute applies) and masked mean-squared errors for rotation and jitter.
/// Heads with nothing to supervise in a batch (say, no sign anywhere) contribute nothing rather than NaN.
/// </summary>
public static class OracleLoss
{
    public static Tensor Compute(SceneParserOutput p, SceneTargets t)
    {
        var loss = Classify(p.Occupancy, t.Occupancy)
            + Classify(p.BackgroundKind, t.BackgroundKind)
            + Classify(p.Style, t.Style);
        if (t.ObjectCount > 0)
            loss = loss + Classify(p.Shape, t.Shape) + Classify(p.Color, t.Color) + Classify(p.Size, t.Size)
                + Classify(p.Pattern, t.Pattern) + MaskedMse(p.Jitter, t.Jitter, t.JitterMask);
        if (t.RotatedCount > 0) loss = loss + MaskedMse(p.Rotation, t.Rotation, t.RotationMask);
        if (t.SignCount > 0) loss = loss + Classify(p.Character, t.Character);
        if (t.TintCount > 0) loss = loss + Classify(p.BackgroundTint, t.BackgroundTint);
        return loss;
    }

    private static Tensor Classify(Tensor logits, Tensor labels) =>
        F.cross_entropy(logits.reshape(-1, logits.shape[^1]), labels.reshape(-1), ignore_index: OracleLabels.Ignore);

    private static Tensor MaskedMse(Tensor prediction, Tensor target, Tensor mask) =>
        ((prediction - target).square() * mask).sum() / mask.sum().clamp_min(1);
}
