using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Oracle;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Storage;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Pipeline.Jobs;
using NpEdit.Jobs.Tests.Support;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Testing;
using NpEdit.Trainer.Runtime;
using TorchSharp;

namespace NpEdit.Jobs.Tests.Grids;

/// <summary>
/// The ReportGrid job writes the Evaluator's report (what <c>npedit report</c> writes) for a grid whose run has been
/// evaluated: a real oracle judge (a small untrained parser: PSNR/SSIM against the true target do not depend on the
/// parse) scores ShapesWorld-Bench outputs through the Evaluator's runner, the training run has a loss curve, and the
/// report's PNGs are checked by their pixels, and the dashboard serves the report with its plots. Before any evaluation the grid's report is the runs table.
/// </summary>
public sealed partial class GridReportFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();
    private readonly TempDirectory _dir = new("grid-report");

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ReportGrid_AfterAnEvaluation_WritesTheEvaluatorReportWithDrawnPlots()
    {
        var reports = Path.Combine(_dir.Path, "reports");
        var submitted = await new GridSubmitter(_db.DataSource, _db.Storage, _db.Jobs).SubmitAsync(GridSpec.Load(RepoFiles.Grid("grid-demo.yaml")));
        var run = (await new GridStore(_db.DataSource).RunsAsync(submitted.GridId))[0];
        await new MetricStore(_db.DataSource).LogAsync([.. Enumerable.Range(1, 20).SelectMany(step => new[]
        {
            new MetricPoint(run.RunId, "loss/total", step, 1.0 / step, DateTime.UtcNow),
            new MetricPoint(run.RunId, "loss/vlm", step, 0.7 - 0.01 * step, DateTime.UtcNow),
        })]);
        var job = new ReportGridJob(new GridReporter(_db.DataSource, reports));

        await job.RunAsync(submitted.GridId, null, CancellationToken.None);
        Assert.Equal(Path.Combine(reports, "demo", GridReporter.RunsFile), (await new GridStore(_db.DataSource).GetAsync(submitted.GridId))!.ReportPath);

        await JudgeTrueTargetsAsync(run.RunId, "demo");
        await job.RunAsync(submitted.GridId, null, CancellationToken.None);

        var folder = Path.Combine(reports, "demo");
        var markdownPath = (await new GridStore(_db.DataSource).GetAsync(submitted.GridId))!.ReportPath!;
        Assert.Equal(Path.Combine(folder, "report.md"), markdownPath);
        var markdown = await File.ReadAllTextAsync(markdownPath);
        Assert.Contains("| seed=0 | shapesworld-bench-v1 | oracle (untrained) |", markdown);
        Assert.Contains("<table>", await File.ReadAllTextAsync(Path.Combine(folder, "report.html")));
        var images = Directory.GetFiles(folder, "*.png").Select(Path.GetFileName).ToArray();
        Assert.Contains("bars-shapesworld-bench-v1-oracle.png", images);
        Assert.Contains("training-loss-total.png", images);
        Assert.Contains("qualitative-shapesworld-bench-v1.png", images);
        foreach (var image in images)
            Assert.Contains($"({image})", markdown);
        PlotPixels.AssertDrawn(folder, images!);
        Assert.Contains("| seed=0 | queued | 20 |", await File.ReadAllTextAsync(Path.Combine(folder, GridReporter.RunsFile)));

        // The dashboard's report link serves report.html and the plots it shows by relative name, and nothing else.
        var (serve, ready) = await LongRunningNpedit.StartAsync(_db.Environment, Ready(), "serve", "--port", "0", "--no-worker");
        await using var _ = serve;
        using var http = new HttpClient();
        var reportUrl = $"{ready.Groups[1].Value}/pipeline/report/{submitted.GridId}/";
        var html = await http.GetStringAsync(reportUrl);
        Assert.Contains("src=\"bars-shapesworld-bench-v1-oracle.png\"", html);
        using var plot = await http.GetAsync(reportUrl + "bars-shapesworld-bench-v1-oracle.png");
        Assert.Equal("image/png", plot.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(folder, "bars-shapesworld-bench-v1-oracle.png")), await plot.Content.ReadAsByteArrayAsync());
        foreach (var outside in new[] { "..", "secret.png" })
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(reportUrl + outside)).StatusCode);
    }

    [GeneratedRegex(@"dashboard: (http://\S+/hangfire)")]
    private static partial Regex Ready();

    /// <summary>The true targets as the run's outputs, judged by the oracle as the EvaluateRun job's stage does (same tags and experiment).</summary>
    private async Task JudgeTrueTargetsAsync(Guid trainRun, string grid)
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        torch.manual_seed(0);
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 1 });
        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);
        var outputs = Path.Combine(_dir.Path, "outputs");
        foreach (var item in bench.Items)
        {
            var path = Path.Combine(outputs, OutputLayout.RelativePath(item.Group, item.Key));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, PngCodec.Encode(GroundTruth.TargetImageOf(item.ShapesItem!, 64), 64, 64));
        }
        using var parser = new SceneParser(new SceneParserNet(new OracleConfig { Channels = [4, 8, 8, 8], Hidden = 16 }));
        var judge = new OracleJudge(new ShapesBenchScorer(parser), "untrained");
        await new EvalRunner(new EvalStore(_db.DataSource)).RunAsync(bench, outputs, judge,
            new EvalRunSpec(grid, "seed=0", "fixture", bench.Name, judge.Name, judge.Model, 4, 1, null, new JsonObject { ["train_run"] = trainRun.ToString() })
            {
                Tags = new Dictionary<string, string> { ["grid"] = grid, ["train_run"] = trainRun.ToString() },
            },
            new EvalOptions { BootstrapRounds = 100 });
    }
}
