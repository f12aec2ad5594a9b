using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Scores editor outputs on ShapesWorld-Bench with the ground-truth oracle: the output is parsed into a scene and
/// judged against the true target (<see cref="GroundTruth"/>) by <see cref="EditJudge"/>; realism is the output's
/// agreement with the re-render of its own parse; PSNR/SSIM compare with the target rendered at the output's size.
/// The oracle is an evaluation instrument only: it is never used in training, neither as a loss nor as a critic.
/// </summary>
public sealed class ShapesBenchScorer(SceneParser parser)
{
    public OracleScores Score(BenchItem item, RgbImage output) => Score(GroundTruth.EditItemOf(item), output);

    public OracleScores Score(EditItem item, RgbImage output) => Score([(item, output)])[0];

    /// <summary>Scores many outputs, parsing them in batches.</summary>
    public IReadOnlyList<OracleScores> Score(IReadOnlyList<(EditItem Item, RgbImage Output)> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var parsed = parser.Parse(outputs.Select(o => o.Output).ToArray());
        var scores = new OracleScores[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            var (item, output) = outputs[i];
            var target = GroundTruth.TargetOf(item);
            var judgement = EditJudge.Judge(item.Source, target, item.Spec, parsed[i]);
            var targetImage = new RgbImage(Renderer.Render(target, output.Width, output.Height), output.Width, output.Height);
            var reRender = new RgbImage(Renderer.Render(parsed[i], output.Width, output.Height), output.Width, output.Height);
            scores[i] = new OracleScores(judgement.EditSuccess, judgement.EditFacts, judgement.Preservation,
                ImageQuality.Ssim(output, reRender), ImageQuality.Psnr(output, targetImage), ImageQuality.Ssim(output, targetImage),
                parsed[i], judgement);
        }
        return scores;
    }

    /// <summary>The copy-the-input floor: the score an editor gets by returning the source image unchanged.</summary>
    public IReadOnlyList<OracleScores> ScoreCopyBaseline(IReadOnlyList<EditItem> items, int resolution) =>
        Score(items.Select(i => (i, RgbImage.Render(i.Source, resolution))).ToArray());
}
