using NpEdit.Evaluator.Judging;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.Evaluator.Tests.Judging;

/// <summary>The annotator's answers to the VIEScore prompts, without HTTP (the end-to-end facts cover HTTP).</summary>
public class AnnotatorVieScoreFacts
{
    private const string Sc = VieScoreResponder.SemanticConsistencyMarker + " ...\n\nEditing instruction: ";
    private const string Pq = VieScoreResponder.PerceptualQualityMarker + " ...";

    private static readonly BenchItemWithImages Item = Load();

    private sealed record BenchItemWithImages(string Instruction, AnnotatorImage Source, byte[] Target);

    private static BenchItemWithImages Load()
    {
        var item = ShapesBench.BuildItems(new BenchOptions { ItemsPerType = 1 }).First(i => i.Type == ShapesWorld.Edits.EditType.Replace);
        var source = Renderer.Render(item.Source, 64);
        var registry = new SceneRegistry();
        registry.Add(item.SceneSeed, 64, item.Source, source);
        return new(item.Instruction, new AnnotatorImage(64, 64, registry.Find(source, 64, 64)) { Rgb = source }, GroundTruth.TargetImageOf(item, 64));
    }

    private static AnnotatorImage Image(byte[] rgb) => new(64, 64, null) { Rgb = rgb };

    private static double[] Scores(string reply) => ScoreReplyParser.Parse(reply, 2, 0, 10) ?? throw new Xunit.Sdk.XunitException($"no scores in: {reply}");

    [Fact]
    public void SC_is_full_for_the_true_target_and_zero_success_for_an_unchanged_image()
    {
        Assert.Equal([10, 10], Scores(VieScoreResponder.SemanticConsistency(Sc + Item.Instruction, [Item.Source, Image(Item.Target)])));
        Assert.Equal(0, Scores(VieScoreResponder.SemanticConsistency(Sc + Item.Instruction, [Item.Source, Image(Item.Source.Rgb!)]))[0]);
    }

    [Fact]
    public void SC_penalises_changes_outside_the_edit_as_over_editing()
    {
        var spoiled = (byte[])Item.Target.Clone();
        var changed = Enumerable.Range(0, spoiled.Length).Where(p => Item.Target[p] == Item.Source.Rgb![p]).ToArray();
        foreach (var p in changed)
            spoiled[p] = (byte)(255 - spoiled[p]);
        var scores = Scores(VieScoreResponder.SemanticConsistency(Sc + Item.Instruction, [Item.Source, Image(spoiled)]));
        Assert.True(scores[1] <= 2, $"over-editing score {scores[1]} for an image inverted outside the edit");
    }

    [Fact]
    public void Unrecognised_sources_and_unreadable_instructions_get_no_scores()
    {
        var unknown = Image(Item.Target);
        Assert.Null(ScoreReplyParser.Parse(VieScoreResponder.SemanticConsistency(Sc + Item.Instruction, [unknown, Image(Item.Target)]), 2, 0, 10));
        Assert.Null(ScoreReplyParser.Parse(VieScoreResponder.SemanticConsistency(Sc + "Make it feel happier", [Item.Source, Image(Item.Target)]), 2, 0, 10));
    }

    [Fact]
    public void PQ_knows_clean_renders_and_marks_its_estimate_for_other_images_as_low_confidence()
    {
        Assert.Equal([10, 10], Scores(VieScoreResponder.PerceptualQuality(Image(Item.Target))));
        var random = new Random(1);
        var noisy = Item.Target.Select(b => (byte)Math.Clamp(b + random.Next(-60, 60), 0, 255)).ToArray();
        var reply = VieScoreResponder.PerceptualQuality(Image(noisy));
        Assert.Contains("Low confidence", reply);
        Assert.True(Scores(reply)[1] < 5, reply);
    }
}
