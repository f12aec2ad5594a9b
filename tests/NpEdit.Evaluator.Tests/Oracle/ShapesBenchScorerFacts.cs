using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class ShapesBenchScorerFacts
{
    private const int Resolution = 64;
    private static readonly IReadOnlyList<EditItem> Items = ShapesBench.BuildItems(new BenchOptions { ItemsPerType = 3 });

    /// <summary>A scorer whose reader knows every source and target render exactly, so only the scoring logic is under test.</summary>
    private static ShapesBenchScorer ExactScorer()
    {
        var registry = new SceneRegistry();
        foreach (var item in Items)
        {
            registry.Add(item.SceneSeed, Resolution, item.Source, Renderer.Render(item.Source, Resolution));
            var target = GroundTruth.TargetOf(item);
            registry.Add(item.EditSeed, Resolution, target, Renderer.Render(target, Resolution));
        }
        return new ShapesBenchScorer(new RegistryImageParser(registry));
    }

    [Fact]
    public void True_targets_score_full_marks_on_every_edit_type()
    {
        var scores = ExactScorer().Score(Items.Select(i => (i, RgbImage.Render(GroundTruth.TargetOf(i), Resolution))).ToArray());

        for (int i = 0; i < Items.Count; i++)
        {
            var s = scores[i];
            Assert.True(s.EditSuccess == 1 && s.Preservation == 1, $"{Items[i].Id} ({Items[i].Type}): missed [{string.Join(", ", s.Judgement!.MissedFacts)}]");
            Assert.Equal(double.PositiveInfinity, s.Psnr);
            Assert.Equal(1.0, s.Ssim, 9);
            Assert.Equal(1.0, s.Realism, 9);
        }
    }

    [Fact]
    public void Copying_the_input_fails_every_edit_and_keeps_what_local_edits_keep()
    {
        var scores = ExactScorer().ScoreCopyBaseline(Items, Resolution);

        for (int i = 0; i < Items.Count; i++)
        {
            Assert.True(scores[i].EditSuccess == 0, $"{Items[i].Id} ({Items[i].Type}): the unchanged input counted as a successful edit");
            Assert.True(double.IsFinite(scores[i].Psnr) && scores[i].Ssim < 1, $"{Items[i].Id}: the input equals the target");
            if (Items[i].Type != EditType.Customization) Assert.Equal(1, scores[i].Preservation);
        }
    }

    [Fact]
    public void An_image_the_reader_cannot_read_scores_zero_but_still_gets_psnr_and_ssim()
    {
        var item = Items[0];
        var noise = new RgbImage(Enumerable.Range(0, Resolution * Resolution * 3).Select(i => (byte)(i * 37 % 251)).ToArray(), Resolution, Resolution);

        var s = ExactScorer().Score(item, noise);

        Assert.Null(s.Parsed);
        Assert.Equal((0.0, 0.0, 0.0), (s.EditSuccess, s.Preservation, s.Realism));
        Assert.True(double.IsFinite(s.Psnr) && s.Ssim < 0.5);
    }

    [Fact]
    public void Bench_items_are_scored_through_their_regenerated_edit_with_named_scores()
    {
        var item = Items[0];
        var bench = new BenchItem(item.Id, item.Type, item.Instruction, item.Instructions.Skip(1).ToArray(), item.ObjectName, "unused.png", item.SceneSeed, item.EditSeed);

        var s = ExactScorer().Score(bench, RgbImage.Render(GroundTruth.TargetOf(bench), Resolution));

        Assert.Equal(1, s.EditSuccess);
        Assert.Equal(["edit_success", "edit_facts", "preservation", "realism", "psnr", "ssim"], s.Named.Keys);
    }
}
