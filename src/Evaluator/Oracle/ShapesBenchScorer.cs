using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Scores editor outputs on ShapesWorld-Bench with the ground-truth oracle: the output is parsed into a scene and
/// judged against the true target (<see cref="GroundTruth"/>) by <see cref="EditJudge"/>; realism is the output's
/// agreement with the re-render of its own parse; PSNR/SSIM compare with the target rendered at the output's size.
/// The oracle is an evaluation instrument only: it is never used in training, neither as a loss nor as a critic.
/// </summary>
public sealed class ShapesBenchScorer
{
    readonly Func<IReadOnlyList<RgbImage>, IReadOnlyList<Scene?>> parse;

    /// <summary>
    /// Scores with the learned oracle, parsing outputs in batches; with <paramref name="refine"/> each reading is also
    /// checked by rendering alternatives (<see cref="SceneRefiner"/>).
    /// </summary>
    public ShapesBenchScorer(SceneParser parser, bool refine = false) => parse = images => parser.Parse(images, refine: refine);

    /// <summary>Scores with any image reader; an image it cannot read (null) scores 0 on every oracle measure.</summary>
    public ShapesBenchScorer(IImageParser parser) => parse = images => images.Select(i => parser.Parse(i.Pixels, i.Width, i.Height)).ToArray();

    public OracleScores Score(BenchItem item, RgbImage output) => Score(GroundTruth.EditItemOf(item), output);

    public OracleScores Score(EditItem item, RgbImage output) => Score([(item, output)])[0];

    /// <summary>Scores many outputs, parsing them together.</summary>
    public IReadOnlyList<OracleScores> Score(IReadOnlyList<(EditItem Item, RgbImage Output)> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var parsed = parse(outputs.Select(o => o.Output).ToArray());
        var scores = new OracleScores[outputs.Count];
        for (int i = 0; i < outputs.Count; i++)
        {
            var (item, output) = outputs[i];
            var target = GroundTruth.TargetOf(item);
            var targetImage = new RgbImage(Renderer.Render(target, output.Width, output.Height), output.Width, output.Height);
            double psnr = ImageQuality.Psnr(output, targetImage), ssim = ImageQuality.Ssim(output, targetImage);
            if (parsed[i] is not { } scene)
            {
                scores[i] = new OracleScores(0, 0, 0, 0, psnr, ssim, null, null);
                continue;
            }
            var judgement = EditJudge.Judge(item.Source, target, item.Spec, scene);
            var reRender = new RgbImage(Renderer.Render(scene, output.Width, output.Height), output.Width, output.Height);
            scores[i] = new OracleScores(judgement.EditSuccess, judgement.EditFacts, judgement.Preservation,
                ImageQuality.Ssim(output, reRender), psnr, ssim, scene, judgement);
        }
        return scores;
    }

    /// <summary>The copy-the-input floor: the score an editor gets by returning the source image unchanged.</summary>
    public IReadOnlyList<OracleScores> ScoreCopyBaseline(IReadOnlyList<EditItem> items, int resolution) =>
        Score(items.Select(i => (i, RgbImage.Render(i.Source, resolution))).ToArray());
}
