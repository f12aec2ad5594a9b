using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The parser's training loss: the sum of one cross-entropy per classification head (averaged over the cells or
/// scenes where the attribute applies; rotation is a class too, see <see cref="OracleLabels.RotationBins"/>) and a masked
/// mean-squared error for jitter, plus the detail branch's training-only heads scored on their own (<see cref="DetailLogits"/>).
/// Heads with nothing to supervise in a batch (say, no sign anywhere) contribute nothing rather than NaN.
/// </summary>
public static class OracleLoss
{
    public static Tensor Compute(SceneParserOutput p, SceneTargets t) =>
        Terms(p, t).Values.Aggregate((a, b) => a + b);

    /// <summary>Each head's term by name, for logging which attribute is still being learned.</summary>
    public static IReadOnlyDictionary<string, Tensor> Terms(SceneParserOutput p, SceneTargets t)
    {
        var terms = new Dictionary<string, Tensor>
        {
            ["occupancy"] = Classify(p.Occupancy, t.Occupancy),
            ["background"] = Classify(p.BackgroundKind, t.BackgroundKind),
            ["style"] = Classify(p.Style, t.Style),
        };
        if (t.ObjectCount > 0)
        {
            terms["shape"] = Classify(p.Shape, t.Shape);
            terms["color"] = Classify(p.Color, t.Color);
            terms["size"] = Classify(p.Size, t.Size);
            terms["pattern"] = Classify(p.Pattern, t.Pattern);
            terms["jitter"] = MaskedMse(p.Jitter, t.Jitter, t.JitterMask);
        }
        if (t.RotatedCount > 0) terms["rotation"] = Classify(p.Rotation, t.Rotation);
        if (p.Detail is { } d && t.ObjectCount > 0)
        {
            // The detail branch read alone (DetailLogits says why).
            terms["shape/detail"] = Classify(d.Shape, t.Shape);
            terms["size/detail"] = Classify(d.Size, t.Size);
            terms["pattern/detail"] = Classify(d.Pattern, t.Pattern);
            if (t.RotatedCount > 0) terms["rotation/detail"] = Classify(d.Rotation, t.Rotation);
        }
        if (t.SignCount > 0) terms["character"] = Classify(p.Character, t.Character);
        if (t.TintCount > 0) terms["tint"] = Classify(p.BackgroundTint, t.BackgroundTint);
        return terms;
    }

    private static Tensor Classify(Tensor logits, Tensor labels) =>
        F.cross_entropy(logits.reshape(-1, logits.shape[^1]), labels.reshape(-1), ignore_index: OracleLabels.Ignore);

    private static Tensor MaskedMse(Tensor prediction, Tensor target, Tensor mask) =>
        ((prediction - target).square() * mask).sum() / mask.sum().clamp_min(1);
}
