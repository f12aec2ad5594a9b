using System.Text.Json.Nodes;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Reports;
using NpEdit.Evaluator.Storage;
using NpEdit.ShapesWorld.Bench;
using NpEdit.Testing;

namespace NpEdit.Evaluator.Tests.Reports;

/// <summary>
/// A report over stored eval runs (two variants judged by VIEScore, one by the critic, a training run with metrics)
/// on real PostgreSQL, checked by its pixels: bars, curves, points and text are drawn, not just files written.
/// </summary>
public class ReportFacts(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<EvalBenchmark> SeedAsync(string experiment)
    {
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 2 });
        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);
        var outputs = Path.Combine(_dir.Path, "outputs");
        foreach (var item in bench.Items)
        {
            var path = Path.Combine(outputs, OutputLayout.RelativePath(item.Group, item.Key));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, item.LoadSource());
        }
        var store = new EvalStore(db.DataSource);
        var random = new Random(11);
        foreach (var (label, judge, level) in new[] { ("full", "vie", 7.0), ("DMD only", "vie", 4.5), ("full", "critic", 0.7) })
        {
            var metrics = judge == "critic" ? new[] { "p_edit", "p_identity", "score" } : ["sc", "pq", "overall"];
            var (runId, _) = await store.CreateOrResumeRunAsync(new EvalRunSpec(experiment, label, "ckpt.safetensors", bench.Name, judge, null, 4, 1, null,
                new JsonObject { ["label"] = label, ["judge"] = judge })
            {
                Metrics = metrics,
                OutputsDirectory = outputs,
                BenchmarkRoot = set.Directory,
            });
            foreach (var (item, index) in bench.Items.Select((item, index) => (item, index)))
            {
                var outcome = judge == "critic"
                    ? JudgeOutcome.Scored(new Dictionary<string, double> { ["score"] = Math.Clamp(level + random.NextDouble() * 0.4 - 0.2, 0, 1) }, [])
                    : index % 4 == 1 && label == "DMD only" // 6 of 22 items
                        ? JudgeOutcome.Failed("unparseable", [new JudgeCall("vie/edit-sc.v1", "no idea", false, 5, 10, 2, 1)])
                        : JudgeOutcome.Scored(new Dictionary<string, double>
                        {
                            ["sc"] = level + random.NextDouble(), ["pq"] = level + 1, ["overall"] = level + random.NextDouble(),
                        }, []);
                await store.SaveJudgmentAsync(runId, item.Key, 0, item.Group, false, OutputLayout.RelativePath(item.Group, item.Key), outcome);
            }
            await new EvalRunner(store).SummariseAsync(runId, metrics, false, new EvalOptions { BootstrapRounds = 100 });
        }
        var (train, _) = await store.Runs.CreateOrGetAsync(new NewRun(experiment, "train", new JsonObject { ["lr"] = 2e-6 }) { Name = "np-edit" });
        await new MetricStore(db.DataSource).LogAsync(Enumerable.Range(0, 50)
            .SelectMany(s => new[] { new MetricPoint(train.Id, "loss/vlm", s, 1.0 / (1 + s), DateTime.UtcNow), new MetricPoint(train.Id, "loss/dmd", s, 0.5 + 0.01 * s, DateTime.UtcNow) })
            .ToArray());
        return bench;
    }

    [Fact]
    public async Task Report_has_the_ablation_table_and_non_empty_plots()
    {
        await SeedAsync("report-plots");
        var outDir = Path.Combine(_dir.Path, "report");

        var result = await new ReportBuilder(db.DataSource).BuildAsync(new ReportRequest("report-plots", null, outDir));

        var markdown = await File.ReadAllTextAsync(result.MarkdownPath);
        Assert.Contains("| full | shapesworld-bench-v1 | vie |", markdown);
        Assert.Contains("| DMD only |", markdown);
        Assert.Contains("<table>", await File.ReadAllTextAsync(result.HtmlPath));
        Assert.Contains("bars-shapesworld-bench-v1-vie.png", result.Images);
        Assert.Contains("training-loss-vlm.png", result.Images);
        Assert.True(result.Images.Contains("qualitative-shapesworld-bench-v1.png"), string.Join("; ", result.Notes));
        Assert.Contains("agreement-full-vie.png", result.Images);

        foreach (var image in result.Images.Where(i => !i.StartsWith("qualitative", StringComparison.Ordinal)))
        {
            var (colored, dark) = PlotPixels.Count(Path.Combine(outDir, image));
            Assert.True(colored > 400, $"{image}: only {colored} coloured pixels, the plot looks empty");
            Assert.True(dark > 300, $"{image}: only {dark} dark pixels, no text or axes were drawn");
        }
        var (gridColored, gridDark) = PlotPixels.Count(Path.Combine(outDir, "qualitative-shapesworld-bench-v1.png"));
        Assert.True(gridColored > 20_000, $"the qualitative grid has {gridColored} coloured pixels");
        Assert.True(gridDark > 100, "the qualitative grid has no captions");
    }

    [Fact]
    public async Task Critic_agreement_compares_the_edit_verification_answer_with_the_oracles_edit_success()
    {
        // The oracle's edit success follows the item's parity and its preservation the opposite; the critic's p_edit
        // follows edit success and its other answers do not. Any other metric pair would not give r = 1.
        const string experiment = "report-agreement";
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 2 });
        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);
        var outputs = Path.Combine(_dir.Path, "agreement-outputs");
        var store = new EvalStore(db.DataSource);
        foreach (var judge in new[] { "oracle", "critic" })
        {
            string[] metrics = judge == "oracle" ? ["realism", "preservation", "psnr", "ssim", "edit_success"] : ["p_edit", "p_identity", "score"];
            var (runId, _) = await store.CreateOrResumeRunAsync(new EvalRunSpec(experiment, "full", "ckpt.safetensors", bench.Name, judge, null, 4, 1, null,
                new JsonObject { ["judge"] = judge })
            {
                Metrics = metrics,
                OutputsDirectory = outputs,
                BenchmarkRoot = set.Directory,
            });
            foreach (var (item, index) in bench.Items.Select((item, index) => (item, index)))
            {
                double edited = index % 2;
                var scores = judge == "oracle"
                    ? new Dictionary<string, double> { ["realism"] = 0.5, ["preservation"] = 1 - edited, ["psnr"] = 20 + index, ["ssim"] = 0.5, ["edit_success"] = edited }
                    : new Dictionary<string, double> { ["p_edit"] = 0.2 + 0.6 * edited, ["p_identity"] = 0.9 - 0.6 * edited, ["score"] = 0.55 };
                await store.SaveJudgmentAsync(runId, item.Key, 0, item.Group, false, OutputLayout.RelativePath(item.Group, item.Key), JudgeOutcome.Scored(scores, []));
            }
            await new EvalRunner(store).SummariseAsync(runId, metrics, false, new EvalOptions { BootstrapRounds = 10 });
        }

        var result = await new ReportBuilder(db.DataSource).BuildAsync(new ReportRequest(experiment, null, Path.Combine(_dir.Path, "agreement-report")));

        var markdown = await File.ReadAllTextAsync(result.MarkdownPath);
        Assert.Contains("Pearson r = 1.000", markdown);
        Assert.Contains("the critic's verdict (p_edit ≥ 0.5) agrees with oracle (edit_success ≥ 0.5) on 100.0% of items", markdown);
        Assert.Contains("agreement-full-oracle.png", result.Images);
    }

    [Fact]
    public async Task The_ablation_table_counts_failures_next_to_the_means()
    {
        await SeedAsync("report-table");
        var store = new EvalStore(db.DataSource);
        var runs = await store.EvalRunsAsync("report-table", null);
        var frame = ReportBuilder.AblationTable(runs, await store.SummariesAsync(runs.Select(r => r.RunId).ToArray()));
        var dmd = frame.Rows.Single(r => (string)r[0] == "DMD only");
        var failuresColumn = frame.Columns.IndexOf("failures");
        Assert.Equal(6, (int)dmd[failuresColumn]!);
        Assert.Equal(16, (int)dmd[frame.Columns.IndexOf("items")]!);
    }

    [Fact]
    public async Task A_report_without_runs_says_what_to_do()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            new ReportBuilder(db.DataSource).BuildAsync(new ReportRequest("nothing-here", null, _dir.Path)));
        Assert.Contains("npedit eval judge", e.Message);
    }
}
