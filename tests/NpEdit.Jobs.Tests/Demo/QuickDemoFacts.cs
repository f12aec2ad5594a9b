using System.Diagnostics;
using Xunit.Abstractions;
using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Jobs.Demo;
using NpEdit.Jobs.Pipeline.Stages;
using NpEdit.Jobs.Tests.Cli;
using NpEdit.Jobs.Tests.Support;
using NpEdit.Testing;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Pretraining;

namespace NpEdit.Jobs.Tests.Demo;

/// <summary>
/// <c>npedit demo --quick</c> end to end, as a user runs it: a real process on an empty state folder (its own
/// embedded PostgreSQL) and a free dashboard port, checked by what it leaves behind — the dataset, the pretraining
/// and NP-Edit runs with their metrics, the oracle's and the critic's eval runs with their items, the report's drawn plots (critic-vs-oracle agreement included), and the SQL
/// it prints, run against its database. Then a second run in the same folder must reuse all of it. Minutes long:
/// skip it locally with <c>--filter "Category!=Demo"</c>; CI runs it (plain <c>dotnet test</c>).
/// </summary>
[Trait("Category", "Demo")]
public sealed partial class QuickDemoFacts(ITestOutputHelper log) : IAsyncLifetime
{
    /// <summary>Generous for a 2-core CI machine (about 3 minutes when idle).</summary>
    private static readonly TimeSpan FirstRunTimeout = TimeSpan.FromMinutes(15);

    private readonly IsolatedHome _home = new();

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    [GeneratedRegex(@"report:\s+(\S+report\.md)")]
    private static partial Regex ReportLine();

    [GeneratedRegex(@"dashboard:\s+http://127\.0\.0\.1:(\d+)/")]
    private static partial Regex DashboardLine();

    /// <summary>The critic's held-out accuracies and its contrastive pairs' (the console may wrap the line anywhere between words).</summary>
    [GeneratedRegex(@"critic\s+held-out\s+accuracy:\s+presence\s+\d+\s+%,\s+edit\s+\d+\s+%,\s+identity\s+\d+\s+%;\s+on\s+contrastive\s+pairs\s+\(the\s+images\s+alone:\s+50\s+%\):\s+presence\s+\d+\s+%,\s+edit\s+\d+\s+%")]
    private static partial Regex CriticLine();

    [Fact]
    public async Task QuickDemo_FromAnEmptyState_RunsEveryStageThroughJobs_AndARerunReusesIt()
    {
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await NpeditProcess.RunAsync(_home.Environment, FirstRunTimeout, "demo", "--quick", "--port", "0");
        var firstRun = clock.Elapsed;
        log.WriteLine($"first run ({firstRun.TotalSeconds:F0} s):\n{output}");
        Assert.True(exitCode == 0, output);

        var dashboard = DashboardLine().Match(output);
        Assert.True(dashboard.Success, $"no dashboard URL in the output:\n{output}");
        Assert.NotEqual("5080", dashboard.Groups[1].Value);
        var report = ReportLine().Match(output);
        Assert.True(report.Success, $"no report path in the output:\n{output}");
        AssertReportHasDrawnPlots(report.Groups[1].Value);
        Assert.Matches(CriticLine(), output);

        await using var dataSource = await NpEditDatabase.OpenAsync(await new EmbeddedPostgres(Path.Combine(_home.Path, "pg")).EnsureRunningAsync());
        await using var conn = await dataSource.OpenConnectionAsync();
        foreach (var query in DemoPipeline.Queries(DemoSettings.Quick.Name))
        {
            Assert.Contains($"  {query}", output);
            Assert.NotEmpty(await conn.QueryAsync(query));
        }
        await AssertDatabaseHoldsEveryStageAsync(conn);

        var before = await CountsAsync(conn);
        clock.Restart();
        var (rerunExit, rerun) = await NpeditProcess.RunAsync(_home.Environment, FirstRunTimeout, "demo", "--quick", "--port", "0");
        var secondRun = clock.Elapsed;
        log.WriteLine($"second run ({secondRun.TotalSeconds:F0} s):\n{rerun}");
        Assert.True(rerunExit == 0, rerun);
        Assert.Equal(before, await CountsAsync(conn));
        Assert.Contains($"reused {Path.Combine(_home.Path, "demo", $"corpus-{DemoSettings.Quick.CorpusImages}")}", rerun);
        Assert.Contains("every unit already built", rerun);
        Assert.Contains($"{T2IPretrainJob.Kind}: reused run", rerun);
        Assert.Contains($"{PretrainStage.CriticKind}: reused run", rerun);
        Assert.Equal(CriticLine().Match(output).Value, CriticLine().Match(rerun).Value);
        Assert.Contains("0 chain queued, 1 already finished", rerun);
        Assert.Contains($"report: {report.Groups[1].Value}", rerun);
        Assert.True(secondRun < firstRun / 2, $"the rerun took {secondRun.TotalSeconds:F0} s after a first run of {firstRun.TotalSeconds:F0} s: it did not reuse the work");
    }

    private static void AssertReportHasDrawnPlots(string markdownPath)
    {
        var folder = Path.GetDirectoryName(markdownPath)!;
        Assert.True(File.Exists(markdownPath), markdownPath);
        Assert.True(File.Exists(Path.Combine(folder, "report.html")), "report.html is missing");
        var markdown = File.ReadAllText(markdownPath);
        Assert.Contains("| shapesworld-bench-v1 | oracle", markdown);
        var images = Directory.GetFiles(folder, "*.png").Select(p => Path.GetFileName(p)).ToArray();
        Assert.Contains("bars-shapesworld-bench-v1-oracle.png", images);
        Assert.Contains("qualitative-shapesworld-bench-v1.png", images);
        Assert.Contains(images, i => i.StartsWith("training-loss", StringComparison.Ordinal));
        Assert.Contains(images, i => i.StartsWith("agreement-", StringComparison.Ordinal) && i.EndsWith("-oracle.png", StringComparison.Ordinal));
        foreach (var image in images)
            Assert.Contains($"({image})", markdown);
        PlotPixels.AssertDrawn(folder, images);
    }

    private static async Task AssertDatabaseHoldsEveryStageAsync(NpgsqlConnection conn)
    {
        var dataset = await conn.QuerySingleAsync<(string Status, long Units, long Finished, long Rows)>("""
            SELECT d.status, count(*), count(*) FILTER (WHERE u.status = 'finished' AND u.shard_path IS NOT NULL), coalesce(sum(u.rows), 0)
            FROM npedit.datasets d JOIN npedit.dataset_units u ON u.dataset_id = d.id WHERE d.name = @name GROUP BY d.status
            """, new { name = DemoSettings.Quick.Name });
        Assert.Equal("finished", dataset.Status);
        Assert.Equal((DemoSettings.Quick.CorpusImages + DemoSettings.Quick.ImagesPerUnit - 1) / DemoSettings.Quick.ImagesPerUnit, dataset.Units);
        Assert.Equal(dataset.Units, dataset.Finished);
        Assert.True(dataset.Rows > 0, "the dataset's shards have no rows");
        foreach (var shard in await conn.QueryAsync<string>(
                     "SELECT u.shard_path FROM npedit.dataset_units u JOIN npedit.datasets d ON d.id = u.dataset_id WHERE d.name = @name",
                     new { name = DemoSettings.Quick.Name }))
            Assert.True(File.Exists(shard), $"shard {shard} is missing");

        // G_init, the critic and the NP-Edit run: each finished, each with logged metrics.
        foreach (var (experiment, kind) in new[]
                 {
                     ("e001-pretrain-shapes-s-cpu", T2IPretrainJob.Kind), (CriticPretrainRun.Experiment, PretrainStage.CriticKind),
                     (DemoSettings.Quick.Name, "train"),
                 })
        {
            var runs = (await conn.QueryAsync<(string Status, long Metrics)>("""
                SELECT r.status, (SELECT count(*) FROM npedit.metrics m WHERE m.run_id = r.id)
                FROM npedit.runs r JOIN npedit.experiments e ON e.id = r.experiment_id WHERE r.kind = @kind
                """, new { kind })).ToList();
            var run = Assert.Single(runs);
            Assert.Equal("finished", run.Status);
            Assert.True(run.Metrics > 0, $"the {kind} run ({experiment}) logged no metrics");
        }
        var trainMetrics = (await conn.QueryAsync<string>("""
            SELECT DISTINCT m.key FROM npedit.metrics m JOIN npedit.runs r ON r.id = m.run_id WHERE r.kind = 'train'
            """)).ToHashSet();
        Assert.Contains("loss/total", trainMetrics);
        Assert.Contains($"{EvaluateStage.Prefix}edit_success", trainMetrics);

        // The oracle judges the benchmark outputs, and the run's own critic judges the same ones (for the agreement plot).
        var evals = (await conn.QueryAsync<(string Judge, string Status, long Items, long Scored)>("""
            SELECT er.judge, r.status, (SELECT count(*) FROM npedit.eval_items i WHERE i.run_id = er.run_id),
                   (SELECT count(DISTINCT item_key) FROM npedit.eval_scores s WHERE s.run_id = er.run_id)
            FROM npedit.eval_runs er JOIN npedit.runs r ON r.id = er.run_id ORDER BY er.judge
            """)).ToList();
        Assert.Equal(["critic", "oracle"], evals.Select(e => e.Judge));
        foreach (var eval in evals)
        {
            Assert.Equal("finished", eval.Status);
            Assert.True(eval.Items >= 500, $"the {eval.Judge} eval run judged only {eval.Items} items of ShapesWorld-Bench");
            Assert.Equal(eval.Items, eval.Scored);
        }
        // The oracle's readings are refined by rendering alternatives, and the eval run says so.
        Assert.Equal("true", await conn.QuerySingleAsync<string?>(
            "SELECT config->>'oracle_refine' FROM npedit.eval_runs WHERE judge = 'oracle'"));
    }

    /// <summary>Rows a rerun must not add to: runs, metrics points, eval items, dataset units, finished jobs.</summary>
    private static async Task<(long Runs, long Metrics, long EvalItems, long Units, long Jobs)> CountsAsync(NpgsqlConnection conn) =>
        await conn.QuerySingleAsync<(long, long, long, long, long)>("""
            SELECT (SELECT count(*) FROM npedit.runs), (SELECT count(*) FROM npedit.metrics), (SELECT count(*) FROM npedit.eval_items),
                   (SELECT count(*) FROM npedit.dataset_units), (SELECT count(*) FROM npedit.job_executions)
            """);
}
