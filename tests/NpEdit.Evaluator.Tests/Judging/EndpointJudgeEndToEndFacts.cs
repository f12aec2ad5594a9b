using System.Text.Json.Nodes;
using Dapper;
using NpEdit.Core.Vlm;
using NpEdit.DatasetBuilder.Vlm;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Storage;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Testing;

namespace NpEdit.Evaluator.Tests.Judging;

/// <summary>
/// The whole endpoint-judge path on real parts: ShapesWorld-Bench files, the annotator over HTTP on 127.0.0.1
/// (with injected 500s and garbage bodies), the VlmDispatcher, the VIEScore judge, and PostgreSQL.
/// </summary>
public class EndpointJudgeEndToEndFacts : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly TestDatabase _db;
    private readonly TempDirectory _dir = new();
    private AnnotatorServer _server = null!;
    private EvalBenchmark _bench = null!;
    private string _outputs = "";

    public EndpointJudgeEndToEndFacts(TestDatabase db) => _db = db;

    public async Task InitializeAsync()
    {
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 1 });
        var registry = new SceneRegistry();
        await registry.LoadDirectoryAsync(set.Directory);
        _server = await AnnotatorServer.StartAsync(new AnnotatorOptions(registry)
        {
            Faults = new FaultOptions { ServerErrorRate = 0.1, GarbageRate = 0.1 },
            Seed = 5,
        });
        var loaded = await ShapesWorldBenchLoader.LoadAsync(set.Directory);
        // Three items: the true target (a perfect edit), the unchanged input (a failed edit), and one whose
        // instruction names nothing in the image (the annotator cannot score it: a counted failure).
        var perfect = loaded.Items.First(i => i.Group == "color");
        var unchanged = loaded.Items.First(i => i.Group == "remove");
        var unreadable = loaded.Items.First(i => i.Group == "add") with { Instruction = "Make the picture feel happier" };
        _bench = loaded with { Items = [perfect, unchanged, unreadable] };
        _outputs = Path.Combine(_dir.Path, "outputs");
        Write(perfect, PngCodec.Encode(GroundTruth.TargetImageOf(perfect.ShapesItem!, 64), 64, 64));
        Write(unchanged, unchanged.LoadSource());
        Write(unreadable, unreadable.LoadSource());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private void Write(EvalItem item, byte[] png)
    {
        var path = Path.Combine(_outputs, OutputLayout.RelativePath(item.Group, item.Key));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, png);
    }

    private VlmDispatcher Dispatcher() => new([new VlmEndpoint("shapesworld-annotator", _server.BaseAddress)],
        new VlmClientOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50), MaxAttempts = 8 }, cache: null);

    [Fact]
    public async Task Scores_land_in_PostgreSQL_with_failures_counted_and_a_rerun_judges_nothing_twice()
    {
        var store = new EvalStore(_db.DataSource);
        var spec = new EvalRunSpec("e2e", "ground truth", "fixture", _bench.Name, "vie", "shapesworld-annotator", 4, 1, null,
            new JsonObject { ["case"] = "e2e" });
        using var dispatcher = Dispatcher();
        var judge = new VieScoreJudge(new EndpointScorer(dispatcher, new EndpointJudgeOptions()));
        var runner = new EvalRunner(store);

        var report = await runner.RunAsync(_bench, _outputs, judge, spec, new EvalOptions { BootstrapRounds = 200 });

        Assert.Equal((3, 0), (report.JudgedNow, report.JudgedBefore));
        var items = (await store.ItemScoresAsync(report.RunId)).ToDictionary(s => s.Group);
        Assert.Equal(10, items["color"].Scores["sc"]);
        Assert.Equal(10, items["color"].Scores["pq"]);
        Assert.Equal(10, items["color"].Scores["overall"]);
        Assert.Equal(0, items["remove"].Scores["sc_editing_success"]);
        Assert.Equal(0, items["remove"].Scores["overall"]);
        Assert.NotNull(items["add"].Failure);
        Assert.Empty(items["add"].Scores);

        var overall = report.Summaries.Single(s => s.Metric == "overall" && s.Subset == "full");
        Assert.Equal(1, overall.Failures);
        Assert.Equal(2, overall.Items);
        Assert.Equal(5, overall.MacroMean, 9);
        Assert.True(dispatcher.Stats.FailedAttempts.Values.Sum() > 0, "the injected faults were retried by the dispatcher");

        await using (var conn = await _db.DataSource.OpenConnectionAsync())
        {
            var board = await conn.QuerySingleAsync<(double Mean, long Failures, long Items)>(
                "SELECT macro_mean, failures, items FROM npedit.eval_leaderboard WHERE run_id = @id AND subset = 'full' AND metric = 'overall'",
                new { id = report.RunId });
            Assert.Equal((5.0, 1L, 2L), (Math.Round(board.Mean, 9), board.Failures, board.Items));
            var raw = await conn.QuerySingleAsync<string>(
                "SELECT calls::text FROM npedit.eval_items WHERE run_id = @id AND group_name = 'add'", new { id = report.RunId });
            Assert.Contains("cannot", raw);
            var ablation = await conn.QuerySingleAsync<(string Label, double Overall, long Failures)>(
                "SELECT label, overall, failures FROM npedit.eval_ablation WHERE run_id = @id AND subset = 'full'", new { id = report.RunId });
            Assert.Equal(("ground truth", 5.0, 1L), (ablation.Label, Math.Round(ablation.Overall, 9), ablation.Failures));
        }

        var requests = _server.RequestCount;
        var again = await runner.RunAsync(_bench, _outputs, judge, spec, new EvalOptions { BootstrapRounds = 200 });
        Assert.Equal(report.RunId, again.RunId);
        Assert.Equal((0, 3), (again.JudgedNow, again.JudgedBefore));
        Assert.Equal(requests, _server.RequestCount);
    }

    [Fact]
    public async Task Missing_outputs_say_how_to_make_them()
    {
        var store = new EvalStore(_db.DataSource);
        using var dispatcher = Dispatcher();
        var judge = new VieScoreJudge(new EndpointScorer(dispatcher, new EndpointJudgeOptions()));
        var spec = new EvalRunSpec("e2e", "missing", "fixture", _bench.Name, "vie", null, 4, 1, null, new JsonObject { ["case"] = "missing" });
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            new EvalRunner(store).RunAsync(_bench, Path.Combine(_dir.Path, "none"), judge, spec, new EvalOptions()));
        Assert.Contains("npedit eval generate", e.Message);
    }
}
