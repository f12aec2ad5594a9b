using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Core.Vlm;
using NpEdit.DatasetBuilder;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Pipeline;
using NpEdit.Jobs.Pipeline.Jobs;
using NpEdit.Jobs.Pipeline.Stages;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Pretraining;
using Spectre.Console;

namespace NpEdit.Jobs.Demo;

/// <summary>
/// <c>npedit demo</c>: the whole pipeline on the embedded defaults, through the same jobs a cluster would run.
/// This process hosts the dashboard and the workers; every stage is a job (or a chain of jobs) and every result
/// lands in PostgreSQL. Finished work (corpus, dataset units, pretrained models, runs) is found and reused.
/// </summary>
/// <param name="pretrainGInit">Pretrain G_init even where <see cref="DemoSettings.BundledGInit"/> takes the bundled one.</param>
public sealed class DemoPipeline(DemoSettings settings, DemoPaths paths, int port, bool pretrainGInit = false)
{
    private const int Steps = 8;
    public const string PretrainExperiment = "demo-pretrain";

    private readonly Stopwatch _clock = new();
    private (int Step, TimeSpan Wall, TimeSpan Cpu) _stage;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        _clock.Start();
        Directory.CreateDirectory(paths.Root);

        Step(1, "PostgreSQL (embedded unless NPEDIT_DB is set) and the schema");
        var cs = JobStorageSettings.WithPoolFor(await NpEditDatabase.ResolveConnectionStringAsync(ct), 2);
        await using var dataSource = await NpEditDatabase.OpenAsync(cs, ct);

        Step(2, $"ShapesWorld corpus ({settings.CorpusImages} images)");
        var corpus = paths.Corpus(settings);
        if (File.Exists(Path.Combine(corpus, CorpusManifest.FileName)))
            Done($"reused {corpus}");
        else
        {
            await CorpusWriter.WriteAsync(new CorpusOptions(settings.CorpusImages, 64, 0, corpus) { RowsPerShard = settings.ImagesPerUnit }, null, ct);
            Done($"wrote {corpus}");
        }

        Step(3, "annotator endpoint (OpenAI-compatible, answers the App. D prompts)");
        var registry = new SceneRegistry();
        await registry.LoadDirectoryAsync(corpus, ct);
        await using var annotator = await AnnotatorServer.StartAsync(new AnnotatorOptions(registry) { Port = 0 }, ct);
        Done($"{annotator.BaseAddress} ({registry.Count} known images)");

        Step(4, "dashboard and workers (this process serves every queue while the demo runs)");
        var endpoint = new VlmEndpoint("shapesworld-annotator", annotator.BaseAddress);
        await using var web = await StartDashboardAsync(dataSource, endpoint, ct);
        var jobs = web.Services.GetRequiredService<IBackgroundJobClient>();
        var waiter = new DemoWaiter(web.Services.GetRequiredService<JobStorage>());
        Done($"{web.DashboardUrl}  (Pipeline page: {web.DashboardUrl}/pipeline)");

        Step(5, "edit dataset through jobs (BuildDatasetUnit per unit, then FinalizeDataset)");
        var datasetDir = await BuildDatasetAsync(dataSource, jobs, waiter, corpus, ct);

        Step(6, "pretrained models: the ShapesWorld oracle (evaluation only), G_init and the critic (reused when finished)");
        if (File.Exists(PipelinePaths.Oracle))
            Done($"{OracleStage.Kind}: reused {PipelinePaths.Oracle}");
        else
            await PretrainAsync(dataSource, jobs, waiter, (await new RunStore(dataSource).CreateOrGetAsync(new NewRun(PretrainExperiment, OracleStage.Kind,
                JsonSerializer.SerializeToNode(settings.Oracle, ConfigLoader.JsonOptions)!.AsObject()) { Name = "shapesworld-oracle" }, ct)).Run, ct);
        var generatorInit = settings.BundledGInit && !pretrainGInit ? DemoGInit.UseBundled(BundledGInit.BundledPath, paths, Done) : null;
        if (generatorInit is null)
        {
            var t2i = ConfigLoader.Load<T2IPretrainJobConfig>(RepoFile("experiments", "e001-pretrain-shapes-s-cpu.yaml"), settings.T2ISets);
            var t2iRun = (await new T2IPretrainJob(dataSource).CreateRunAsync(t2i, "auto", ct)).Run;
            await PretrainAsync(dataSource, jobs, waiter, t2iRun, ct);
            generatorInit = PretrainStage.GeneratorInitPath(t2iRun.Id)
                ?? throw new DemoStageFailedException($"G_init run {t2iRun.Id} finished without a checkpoint.");
        }
        var critic = ConfigLoader.Resolve<CriticPretrainConfig>(null, sets: settings.CriticSets);
        var criticRun = (await new RunStore(dataSource).CreateOrGetAsync(new NewRun(CriticPretrainRun.Experiment, PretrainStage.CriticKind, critic.Json)
        {
            Name = $"{critic.Value.Preset}-{critic.Value.Steps}steps-seed{critic.Value.Seed}",
        }, ct)).Run;
        await PretrainAsync(dataSource, jobs, waiter, criticRun, ct);
        Done(await CriticSummaryAsync(dataSource, criticRun.Id, ct));

        Step(7, "NP-Edit training → ShapesWorld-Bench generation → oracle evaluation → report (one continuation chain)");
        var reportPath = await TrainAndReportAsync(dataSource, web, waiter, datasetDir, generatorInit, PretrainStage.CriticPath(criticRun.Id), ct);

        Step(8, "done");
        // The values are plain writes: a console narrower than a path or a query must not wrap it, so each one
        // can be copied (or read by a script) as it is.
        AnsiConsole.Markup("[green]report:[/] ");
        Console.WriteLine(reportPath);
        AnsiConsole.Markup("[green]dashboard:[/] ");
        Console.WriteLine($"{web.DashboardUrl} (up while this process runs; afterwards './npedit serve' serves it again)");
        AnsiConsole.MarkupLine("[green]SQL[/] ('./npedit db psql'):");
        foreach (var query in Queries(settings.Name))
            Console.WriteLine($"  {query}");
        AnsiConsole.MarkupLine($"finished in {_clock.Elapsed.TotalSeconds:F0} s ({Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:F0} s CPU in this process)");
        return 0;
    }

    public static IReadOnlyList<string> Queries(string grid) =>
    [
        "SELECT e.name, r.name, r.status, r.ended_at - r.started_at AS took FROM npedit.runs r JOIN npedit.experiments e ON e.id = r.experiment_id ORDER BY r.created_at;",
        $"SELECT key, step, round(value::numeric, 4) FROM npedit.metrics WHERE run_id = (SELECT r.id FROM npedit.grid_runs g JOIN npedit.runs r ON r.id = g.run_id WHERE g.grid_id = (SELECT id FROM npedit.grids WHERE name = '{grid}') ORDER BY r.created_at DESC LIMIT 1) AND key LIKE 'bench/%' AND key NOT LIKE 'bench/%/%' ORDER BY key;",
        "SELECT job_type, queue, server_id, outcome, ended_at - started_at AS took FROM npedit.job_executions ORDER BY id;",
    ];

    private async Task<DashboardHost> StartDashboardAsync(NpgsqlDataSource dataSource, VlmEndpoint endpoint, CancellationToken ct)
    {
        void Configure(IServiceCollection services) =>
            services.AddSingleton(new DatasetBuildOptions { Endpoints = [endpoint] });
        try
        {
            return await DashboardHost.StartAsync(dataSource, "127.0.0.1", port, DashboardAccess.FromEnvironment(), WorkerSettings.AllQueues(2), ct, Configure);
        }
        catch (ArgumentException) when (port != 0)
        {
            // 5080 is taken (a running 'npedit serve'?): any free port will do for the demo.
            return await DashboardHost.StartAsync(dataSource, "127.0.0.1", 0, DashboardAccess.FromEnvironment(), WorkerSettings.AllQueues(2), ct, Configure);
        }
    }

    private async Task<string> BuildDatasetAsync(NpgsqlDataSource dataSource, IBackgroundJobClient jobs, DemoWaiter waiter, string corpus, CancellationToken ct)
    {
        var dir = paths.Dataset(settings);
        var config = ConfigLoader.Resolve<DatasetConfig>(null, sets:
        [
            $"name={settings.Name}", $"output_dir={dir}", "input.kind=shapes_world", $"input.path={corpus}",
            $"input.images_per_unit={settings.ImagesPerUnit}",
        ]);
        long datasetId;
        using (var build = new DatasetBuild(dataSource))
            datasetId = await build.PrepareAsync(config, ct);
        var queued = await new DatasetSubmitter(dataSource, jobs).SubmitAsync(datasetId, ct);
        Done(queued == 0 ? $"dataset {datasetId}: every unit already built" : $"dataset {datasetId}: {queued} unit job(s) queued");
        await waiter.UntilAsync(async () =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            var s = await conn.QuerySingleAsync<(string Status, long Done, long Units, long Rows)>("""
                SELECT d.status, count(u.unit) FILTER (WHERE u.status = 'finished'), count(u.unit), coalesce(sum(u.rows), 0)
                FROM npedit.datasets d JOIN npedit.dataset_units u ON u.dataset_id = d.id WHERE d.id = @datasetId GROUP BY d.status
                """, new { datasetId });
            return (s.Status == "finished", $"{s.Done}/{s.Units} units, {s.Rows} rows, dataset {s.Status}");
        }, ct);
        return dir;
    }

    /// <summary>Queues a pretraining run unless it finished before, and waits for it.</summary>
    private static async Task PretrainAsync(NpgsqlDataSource dataSource, IBackgroundJobClient jobs, DemoWaiter waiter, RunRecord run, CancellationToken ct)
    {
        if (run.Status == "finished")
        {
            Done($"{run.Kind}: reused run {run.Id} ({run.Name})");
            return;
        }
        var started = Started();
        jobs.Enqueue<PretrainRunJob>(JobQueues.Gpu, j => j.RunAsync(run.Id, null, CancellationToken.None));
        Done($"{run.Kind}: run {run.Id} ({run.Name}) queued");
        await WaitForRunAsync(dataSource, waiter, run.Id, ct);
        Done($"{run.Kind}: {Took(started)}");
    }

    /// <summary>
    /// The critic's held-out accuracies as its run logged them, with the contrastive pairs' (<see cref="PairAccuracy"/>):
    /// how much of the instruction the VLM loss can read through it.
    /// </summary>
    private static async Task<string> CriticSummaryAsync(NpgsqlDataSource dataSource, Guid criticRunId, CancellationToken ct)
    {
        var latest = await new MetricStore(dataSource).LatestAsync(criticRunId, ct);
        string Share(string key) => latest.TryGetValue(key, out var metric) ? $"{100 * metric.Value:F0} %" : "–";
        return "critic held-out accuracy: " + string.Join(", ", CriticExample.Families.Select(f => $"{f} {Share($"heldout/accuracy/{f}")}"))
            + "; on contrastive pairs (the images alone: 50 %): " + string.Join(", ", new[] { CriticExample.Presence, CriticExample.Edit }.Select(f => $"{f} {Share(PairAccuracy.AccuracyKey(f))}"));
    }

    private static (Stopwatch Wall, TimeSpan Cpu) Started() => (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);

    private static string Took((Stopwatch Wall, TimeSpan Cpu) started) =>
        $"took {started.Wall.Elapsed.TotalSeconds:F1} s ({(Process.GetCurrentProcess().TotalProcessorTime - started.Cpu).TotalSeconds:F1} s CPU)";

    private static async Task WaitForRunAsync(NpgsqlDataSource dataSource, DemoWaiter waiter, Guid runId, CancellationToken ct)
    {
        var runs = new RunStore(dataSource);
        var metrics = new MetricStore(dataSource);
        await waiter.UntilAsync(async () =>
        {
            var run = (await runs.GetAsync(runId, ct))!;
            if (run.Status == "failed")
                throw new DemoStageFailedException($"run {run.Name ?? run.Id.ToString()} failed: {run.Error}");
            var latest = await metrics.LatestAsync(runId, ct);
            return (run.Status == "finished", latest.Count == 0 ? run.Status : $"{run.Status}: {RunLifecycle.Describe(latest)}");
        }, ct);
    }

    private async Task<string> TrainAndReportAsync(NpgsqlDataSource dataSource, DashboardHost web, DemoWaiter waiter, string datasetDir,
        string generatorInit, string critic, CancellationToken ct)
    {
        var spec = GridSpec.Load(RepoFile("experiments", "grids", "grid-demo.yaml"));
        var overrides = (JsonObject)spec.Overrides.DeepClone();
        overrides["generator.init"] = generatorInit;
        overrides["critic.checkpoint"] = critic;
        overrides["data.shards"] = new JsonArray(datasetDir);
        foreach (var (key, value) in settings.TrainSets)
            overrides[key] = value;
        overrides["run.output_root"] = paths.Runs;
        spec = spec with { Name = settings.Name, Overrides = overrides };
        var storage = web.Services.GetRequiredService<JobStorage>();
        var submitted = await new GridSubmitter(dataSource, storage, web.Services.GetRequiredService<IBackgroundJobClient>()).SubmitAsync(spec, ct);
        var store = new GridStore(dataSource);
        // The run of this spec's single point (a grid keeps the runs of earlier versions of its file as history).
        var hash = GridExpander.Expand(spec)[0].Hash;
        var run = (await store.RunsAsync(submitted.GridId, ct)).Single(r => r.ConfigHash == hash);
        Done($"run {run.RunId} ({(submitted.Created > 0 ? "new" : "existing")}; {submitted.Queued} chain queued, {submitted.AlreadyFinished} already finished)");
        if (run.Status == "finished")
        {
            var existing = (await store.GetAsync(submitted.GridId, ct))!.ReportPath;
            if (existing is not null && File.Exists(existing))
                return existing;
            return await new GridReporter(dataSource).WriteAsync(submitted.GridId, ct);
        }
        var started = Started();
        await WaitForRunAsync(dataSource, waiter, run.RunId, ct);
        Done($"training: {Took(started)}");
        started = Started();
        await waiter.UntilAsync(async () =>
        {
            var grid = (await store.GetAsync(submitted.GridId, ct))!;
            var metrics = await new MetricStore(dataSource).LatestAsync(run.RunId, ct);
            var stage = grid.ReportPath is not null ? "report written"
                : metrics.ContainsKey($"{EvaluateStage.Prefix}edit_success") ? "evaluated; writing the report"
                : "generating and evaluating ShapesWorld-Bench";
            return (grid.ReportPath is not null, stage);
        }, ct);
        Done($"generation, evaluation and report: {Took(started)}");
        return (await store.GetAsync(submitted.GridId, ct))!.ReportPath!;
    }

    private static string RepoFile(params string[] parts) =>
        Path.Combine([ProjectPaths.FindRepositoryRoot() ?? ".", .. parts]);

    /// <summary>Starts stage <paramref name="n"/>, first printing the wall and CPU time of the one before (CPU time does not depend on the machine's load).</summary>
    private void Step(int n, string what)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        if (_stage.Step > 0)
            AnsiConsole.MarkupLine($"    [grey]stage {_stage.Step} took {(_clock.Elapsed - _stage.Wall).TotalSeconds:F1} s ({(cpu - _stage.Cpu).TotalSeconds:F1} s CPU)[/]");
        _stage = (n, _clock.Elapsed, cpu);
        AnsiConsole.MarkupLine($"[bold]{n}/{Steps}[/] {Markup.Escape(what)}");
    }

    private static void Done(string what) => AnsiConsole.MarkupLine($"    {Markup.Escape(what)}");
}
