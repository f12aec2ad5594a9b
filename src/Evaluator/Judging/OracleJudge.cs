using NpEdit.Evaluator.Imaging;
using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Evaluation;

namespace NpEdit.Evaluator.Judging;

/// <summary>
/// The ShapesWorld ground-truth oracle (<see cref="ShapesBenchScorer"/>) as an item judge: edit success,
/// preservation and realism from the scene parse, PSNR/SSIM against the true target. Only ShapesWorld-Bench items
/// have a ground truth; any other item is a failure with that reason. Evaluation only, never a training signal.
/// </summary>
public sealed class OracleJudge(ShapesBenchScorer scorer, string? model) : IItemJudge
{
    /// <summary>An exact match has infinite PSNR; capped so group means stay finite.</summary>
    public const double MaxPsnr = 100;

    public string Name => "oracle";
    public string? Model => model;

    /// <summary>Edit success last: it is the headline a report ranks by.</summary>
    public IReadOnlyList<string> Metrics { get; } = ["realism", "preservation", "psnr", "ssim", "edit_success"];

    public Task<JudgeOutcome> JudgeAsync(JudgeInput input, int sample, CancellationToken ct)
    {
        if (input.Item.ShapesItem is not { } item)
            return Task.FromResult(JudgeOutcome.Failed($"item {input.Item.Key} is not a ShapesWorld-Bench item; the oracle needs a ground truth", []));
        var (rgb, width, height) = ImageBytes.DecodeRgb(input.Edited);
        var scores = scorer.Score(GroundTruth.EditItemOf(item), new RgbImage(rgb, width, height)); // the parser takes turns on its network
        var named = scores.Named.ToDictionary(kv => kv.Key, kv => kv.Value);
        named["psnr"] = Math.Min(named["psnr"], MaxPsnr);
        return Task.FromResult(JudgeOutcome.Scored(named, []));
    }
}
