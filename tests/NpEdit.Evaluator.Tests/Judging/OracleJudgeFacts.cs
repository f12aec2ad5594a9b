using System.Text.Json.Nodes;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Oracle;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Storage;
using NpEdit.Evaluator.Tests.Oracle;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Testing;

namespace NpEdit.Evaluator.Tests.Judging;

/// <summary>
/// The oracle behind the item-judge seam: the eval pipeline scores ShapesWorld-Bench outputs with ground truth and
/// stores every named score. A small untrained parser is enough here: PSNR/SSIM against the true target do not
/// depend on the parse (the trained parser's accuracy is the oracle's own tests' business).
/// </summary>
[Collection(OracleCollection.Name)]
public class OracleJudgeFacts(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task True_targets_match_the_ground_truth_and_copied_inputs_do_not()
    {
        OracleTestEnvironment.InitializeTorch();
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 1 });
        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);
        bench = bench with { Items = bench.Items.Where(i => i.Group is "color" or "remove" or "add").ToArray() };
        using var parser = new SceneParser(new SceneParserNet(new OracleConfig { Channels = [4, 8, 8, 8], Hidden = 16 }));
        var judge = new OracleJudge(new ShapesBenchScorer(parser), "untrained");
        var store = new EvalStore(db.DataSource);
        var runner = new EvalRunner(store);
        var scores = new Dictionary<string, List<NpEdit.Evaluator.Scoring.ItemScore>>();
        foreach (var (label, target) in new[] { ("target", true), ("copy", false) })
        {
            var outputs = Path.Combine(_dir.Path, label);
            foreach (var item in bench.Items)
            {
                var path = Path.Combine(outputs, OutputLayout.RelativePath(item.Group, item.Key));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, target ? PngCodec.Encode(GroundTruth.TargetImageOf(item.ShapesItem!, 64), 64, 64) : item.LoadSource());
            }
            var report = await runner.RunAsync(bench, outputs, judge,
                new EvalRunSpec("oracle-e2e", label, "fixture", bench.Name, judge.Name, judge.Model, 4, 1, null, new JsonObject { ["label"] = label }),
                new EvalOptions { BootstrapRounds = 0 });
            Assert.Equal(0, report.Summaries.Single(s => s.Metric == "edit_success").Failures);
            scores[label] = await store.ItemScoresAsync(report.RunId);
        }
        Assert.All(scores["target"], s =>
        {
            Assert.Equal(["edit_facts", "edit_success", "preservation", "psnr", "realism", "ssim"], s.Scores.Keys.Order());
            Assert.Equal(1.0, s.Scores["ssim"], 6);
            Assert.Equal(OracleJudge.MaxPsnr, s.Scores["psnr"]);
        });
        Assert.All(scores["copy"], s => Assert.True(s.Scores["ssim"] < 0.999 && s.Scores["psnr"] < 60, $"{s.Key}: a copied input scored like the target"));
    }

    [Fact]
    public async Task Items_without_ground_truth_are_failures_not_scores()
    {
        OracleTestEnvironment.InitializeTorch();
        using var parser = new SceneParser(new SceneParserNet(new OracleConfig { Channels = [4, 8, 8, 8], Hidden = 16 }));
        var judge = new OracleJudge(new ShapesBenchScorer(parser), "untrained");
        var item = new EvalItem("a1", "color_alter", "make it red", () => []);
        var outcome = await judge.JudgeAsync(new JudgeInput(item, [], []), 0, CancellationToken.None);
        Assert.Contains("ground truth", outcome.Failure);
        Assert.Empty(outcome.Scores);
    }
}
