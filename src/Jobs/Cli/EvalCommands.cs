using System.CommandLine;
using System.Text.Json.Nodes;
using Dapper;
using NpEdit.Core.Database;
using NpEdit.Core.Datasets;
using NpEdit.Core.Vlm;
using NpEdit.DatasetBuilder.Vlm;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Generation;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Oracle;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Scoring;
using NpEdit.Evaluator.Storage;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Runtime;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit eval generate|judge|leaderboard|g-init</c>: run an editor over a benchmark, judge the outputs (VIEScore,
/// ImgEdit, subject-driven VIEScore over an OpenAI-compatible endpoint; the in-process critic; the ShapesWorld
/// oracle), and list results. Thin: each command calls one Evaluator API.
/// </summary>
internal static class EvalCommands
{
    private const string DefaultAnnotator = "shapesworld-annotator@http://127.0.0.1:8000/v1";

    public static Command Build()
    {
        var eval = new Command("eval", "Evaluate editors on GEdit-Bench, ImgEdit-Bench, DreamBooth and ShapesWorld-Bench; results go to PostgreSQL.");
        eval.Subcommands.Add(Generate());
        eval.Subcommands.Add(Judge());
        eval.Subcommands.Add(Leaderboard());
        eval.Subcommands.Add(GInitEvalCommand.Build());
        return eval;
    }

    private static Option<string> BenchmarkOption() => new("--benchmark")
    {
        Description = "gedit (GEdit-Bench EN), imgedit (ImgEdit-Bench Basic), dreambooth, or shapesworld (ShapesWorld-Bench).",
        Required = true,
    };

    private static Option<DirectoryInfo> DataOption() => new("--data")
    {
        Description = "The benchmark's folder (GEdit Parquet files; basic_edit.json + singleturn/; DreamBooth dataset/; shapesworld-bench-v1/).",
        Required = true,
    };

    private static Option<string> DeviceOption() => new("--device") { Description = "auto (CUDA when it initializes, else CPU), cpu, or cuda[:N].", DefaultValueFactory = _ => "auto" };

    private static Command Generate()
    {
        var benchmark = BenchmarkOption();
        var data = DataOption();
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "Editor weights (.safetensors with its .config.json).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the edited images (<group>/<key>.png).", Required = true };
        var steps = new Option<int>("--steps") { Description = "Few-step sampler steps: 4 (editing) or 8 (customization) as in the paper; 1 and 2 also work.", DefaultValueFactory = _ => 4 };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 16 };
        var seed = new Option<long>("--seed") { Description = "Noise seed.", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N items (a smoke test)." };
        var device = DeviceOption();
        var command = new Command("generate", "Run an editor checkpoint with the few-step sampler over a benchmark; a rerun skips finished items.")
        {
            benchmark, data, checkpoint, output, steps, batch, seed, limit, device,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var bench = await LoadBenchmarkAsync(parse.GetValue(benchmark)!, parse.GetValue(data)!, ct);
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(parse.GetValue(device)));
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var options = new GenerationOptions(parse.GetValue(checkpoint)!.FullName, parse.GetValue(output)!.FullName)
            {
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                Limit = parse.GetValue(limit),
            };
            var total = parse.GetValue(limit) is { } l ? Math.Min(l, bench.Items.Count) : bench.Items.Count;
            var progress = new Progress<int>(done => Console.WriteLine($"  {done} edited"));
            var summary = await new EditorGenerator(new EvalStore(dataSource)).GenerateAsync(bench, options, selection.Device, progress, ct);
            AnsiConsole.MarkupLine($"{summary.Generated} edited, {summary.Skipped} already there, of {total} items on {Markup.Escape(selection.Device.ToString())}" +
                                   (summary.Generated > 0 ? $" ({summary.MillisecondsPerImage:F1} ms/image)" : "") +
                                   $"; outputs in {Markup.Escape(summary.OutputDirectory)} (output set {summary.OutputSetId}).");
            return 0;
        });
        return command;
    }

    private static Command Judge()
    {
        var benchmark = BenchmarkOption();
        var data = DataOption();
        var outputs = new Option<DirectoryInfo>("--outputs") { Description = "Folder of edited images in the <group>/<key>.png layout ('eval generate --out', or another model's outputs).", Required = true };
        var experiment = new Option<string>("--experiment") { Description = "Experiment the eval run belongs to (reports group by it).", Required = true };
        var label = new Option<string>("--label") { Description = "Row name in ablation tables, e.g. 'full' or 'no identity question'.", Required = true };
        var judge = new Option<string?>("--judge") { Description = "vie, vie-subject, imgedit, critic or oracle; default: imgedit for ImgEdit, vie-subject for DreamBooth, vie otherwise." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "The editor checkpoint the outputs came from (recorded; not loaded)." };
        var steps = new Option<int?>("--steps") { Description = "Sampler steps the outputs were made with (recorded)." };
        var grid = new Option<string?>("--grid") { Description = "Tag the run with grid=G, for 'npedit report --grid G'." };
        var samples = new Option<int>("--samples") { Description = "Judgments per item; n > 1 gives per-item variance (use --temperature > 0).", DefaultValueFactory = _ => 1 };
        var temperature = new Option<float>("--temperature") { Description = "Judge sampling temperature (0 = greedy).", DefaultValueFactory = _ => 0f };
        var concurrency = new Option<int>("--concurrency") { Description = "Items judged at once.", DefaultValueFactory = _ => 8 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for the 95% intervals (0 = none).", DefaultValueFactory = _ => 1000 };
        var limit = new Option<int?>("--limit") { Description = "Only the first N items (a smoke test)." };
        var critic = new Option<string?>("--critic") { Description = "Critic checkpoint (.safetensors or a Hugging Face LLaVA-OneVision folder) for --judge critic." };
        var oracle = new Option<string?>("--oracle") { Description = "Oracle checkpoint ('npedit oracle train') for --judge oracle (default: the oracle bundled with the build)." };
        var refine = new Option<bool>("--refine")
        {
            Description = "For --judge oracle: check each reading by rendering alternatives (analysis by synthesis; bench/RESULTS.md). " +
                "--refine false reads with the network alone, as eval runs before 2026-11-28 did.",
            DefaultValueFactory = _ => true,
        };
        var device = DeviceOption();
        var command = new Command("judge",
            $"Judge edited images and store every judgment, the per-group means and the macro average with intervals. Endpoint judges use {VlmEndpoint.EndpointsVariable} " +
            $"(default: the ShapesWorld annotator, {DefaultAnnotator}; start it with 'npedit world serve').")
        {
            benchmark, data, outputs, experiment, label, judge, checkpoint, steps, grid, samples, temperature, concurrency, bootstrap, limit, critic, oracle, refine, device,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var kind = BenchmarkLoader.ParseKind(parse.GetValue(benchmark)!);
            var bench = await LoadBenchmarkAsync(parse.GetValue(benchmark)!, parse.GetValue(data)!, ct);
            var judgeName = parse.GetValue(judge) ?? kind switch
            {
                BenchmarkKind.ImgEdit => "imgedit",
                BenchmarkKind.DreamBooth => "vie-subject",
                _ => "vie",
            };
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var judgeOptions = new EndpointJudgeOptions { Temperature = parse.GetValue(temperature) };
            judgeOptions.Validate();
            using var resources = new JudgeResources();
            var itemJudge = judgeName switch
            {
                "vie" or "vie-subject" or "imgedit" => EndpointJudge(judgeName, resources, judgeOptions, new VlmReplyCache(dataSource)),
                "critic" => resources.Critic(parse.GetValue(critic), parse.GetValue(device)!),
                "oracle" => resources.Oracle(parse.GetValue(oracle), parse.GetValue(device)!, parse.GetValue(refine)),
                _ => throw new ArgumentException($"Unknown --judge '{judgeName}'; use vie, vie-subject, imgedit, critic or oracle."),
            };
            var options = new EvalOptions
            {
                SamplesPerItem = parse.GetValue(samples),
                Concurrency = parse.GetValue(concurrency),
                BootstrapRounds = parse.GetValue(bootstrap),
                Limit = parse.GetValue(limit),
            };
            var config = new JsonObject
            {
                ["benchmark"] = bench.Name,
                ["outputs"] = parse.GetValue(outputs)!.FullName,
                ["judge"] = itemJudge.Name,
                ["judge_model"] = itemJudge.Model,
                ["samples"] = options.SamplesPerItem,
                ["temperature"] = judgeOptions.Temperature,
                ["limit"] = options.Limit,
                ["label"] = parse.GetValue(label),
            };
            if (judgeName == "oracle") config["oracle_refine"] = parse.GetValue(refine);
            var tags = parse.GetValue(grid) is { } g ? new Dictionary<string, string> { ["grid"] = g } : new Dictionary<string, string>();
            var spec = new EvalRunSpec(parse.GetValue(experiment)!, parse.GetValue(label)!, parse.GetValue(checkpoint) ?? "external", bench.Name,
                itemJudge.Name, itemJudge.Model, parse.GetValue(steps), options.SamplesPerItem, null, config) { Tags = tags };
            var progress = new Progress<int>(done => { if (done % 50 == 0) Console.WriteLine($"  {done} judged"); });
            EvalReport report;
            try
            {
                report = await new EvalRunner(new EvalStore(dataSource)).RunAsync(bench, parse.GetValue(outputs)!.FullName, itemJudge, spec, options, progress, ct);
            }
            catch (VlmCallException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] the judge endpoint cannot be reached: {Markup.Escape(e.Message)}. Check {VlmEndpoint.EndpointsVariable}, " +
                                       "or start the ShapesWorld annotator with 'npedit world serve'.");
                return 1;
            }
            Print(report, itemJudge.Metrics);
            return 0;
        });
        return command;
    }

    private static Command Leaderboard()
    {
        var experiment = new Option<string?>("--experiment") { Description = "Only this experiment." };
        var metric = new Option<string>("--metric") { Description = "Metric to rank by (overall, sc, pq, score, edit_success, ...).", DefaultValueFactory = _ => "overall" };
        var command = new Command("leaderboard", "Print npedit.eval_leaderboard: macro averages per eval run, with failures.") { experiment, metric };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            var rows = await conn.QueryAsync<(string Experiment, string Label, string Benchmark, string Judge, int? Steps, string Subset, double Mean, long Items, long Failures)>(
                new CommandDefinition("""
                    SELECT experiment, label, benchmark, judge, sampler_steps, subset, macro_mean, items, failures
                    FROM npedit.eval_leaderboard
                    WHERE metric = @metric AND (@experiment::text IS NULL OR experiment = @experiment)
                    ORDER BY benchmark, judge, subset, macro_mean DESC
                    """, new { metric = parse.GetValue(metric), experiment = parse.GetValue(experiment) }, cancellationToken: ct));
            var table = new Table().AddColumns("experiment", "variant", "benchmark", "judge", "steps", "subset", parse.GetValue(metric)!, "items", "failures");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Experiment), Markup.Escape(r.Label), Markup.Escape(r.Benchmark), Markup.Escape(r.Judge), r.Steps?.ToString() ?? "–",
                    r.Subset, r.Mean.ToString("F2"), r.Items.ToString(), r.Failures.ToString());
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static async Task<EvalBenchmark> LoadBenchmarkAsync(string name, DirectoryInfo data, CancellationToken ct)
    {
        var bench = await BenchmarkLoader.LoadAsync(BenchmarkLoader.ParseKind(name), data.FullName, ct);
        foreach (var warning in bench.Warnings)
            AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
        return bench;
    }

    private static IItemJudge EndpointJudge(string name, JudgeResources resources, EndpointJudgeOptions options, VlmReplyCache cache)
    {
        var endpoints = VlmEndpoint.FromEnvironment();
        if (endpoints.Count == 0)
        {
            endpoints = VlmEndpoint.Parse(DefaultAnnotator);
            AnsiConsole.MarkupLine($"{VlmEndpoint.EndpointsVariable} is not set: judging with the ShapesWorld annotator at {Markup.Escape(endpoints[0].BaseUrl.ToString())}.");
        }
        var scorer = new EndpointScorer(resources.Dispatcher(endpoints, cache), options);
        return name switch
        {
            "imgedit" => new ImgEditJudge(scorer),
            "vie-subject" => new VieScoreJudge(scorer, subjectDriven: true),
            _ => new VieScoreJudge(scorer),
        };
    }

    private static void Print(EvalReport report, IReadOnlyList<string> metrics)
    {
        AnsiConsole.MarkupLine($"eval run [bold]{report.RunId}[/]: {report.JudgedNow} judged now, {report.JudgedBefore} from before.");
        foreach (var subset in report.Summaries.Select(s => s.Subset).Distinct())
        {
            var shown = report.Summaries.Where(s => s.Subset == subset && metrics.Contains(s.Metric)).OrderBy(s => metrics.ToList().IndexOf(s.Metric)).ToArray();
            var table = new Table { Title = new TableTitle($"{subset} set") }.AddColumn("group");
            foreach (var s in shown)
                table.AddColumn(s.Metric);
            table.AddColumn("items").AddColumn("failures");
            foreach (var group in shown[0].Groups.Select(g => g.Group))
            {
                var cells = shown.Select(s => s.Groups.First(g => g.Group == group)).ToArray();
                table.AddRow([Markup.Escape(group), .. cells.Select(c => Format(c.Mean, c.Interval)), cells[^1].Items.ToString(), cells[^1].Failures.ToString()]);
            }
            table.AddRow(["[bold]macro average[/]", .. shown.Select(s => Format(s.MacroMean, s.MacroInterval)), shown[^1].Items.ToString(), shown[^1].Failures.ToString()]);
            AnsiConsole.Write(table);
        }
    }

    private static string Format(double mean, ScoreInterval? interval) =>
        !double.IsFinite(mean) ? "–" : interval is { } i ? Markup.Escape($"{mean:F2} [{i.Low:F2}, {i.High:F2}]") : $"{mean:F2}";

    /// <summary>Whatever a judge holds open (dispatcher, critic, oracle), disposed when the command ends.</summary>
    private sealed class JudgeResources : IDisposable
    {
        private readonly List<IDisposable> _owned = [];

        public VlmDispatcher Dispatcher(IReadOnlyList<VlmEndpoint> endpoints, VlmReplyCache cache)
        {
            var dispatcher = new VlmDispatcher(endpoints, new VlmClientOptions(), cache);
            _owned.Add(dispatcher);
            return dispatcher;
        }

        public IItemJudge Critic(string? path, string device)
        {
            if (path is null)
                throw new ArgumentException("--judge critic needs --critic PATH (a critic from 'npedit pretrain critic' or a LLaVA-OneVision folder).");
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(device));
            var critic = CriticCheckpoint.Load(path, selection.Device);
            _owned.Add(critic);
            return new CriticJudge(critic, selection.Device, path);
        }

        public IItemJudge Oracle(string? path, string device, bool refine)
        {
            path = OracleCheckpoint.Resolve(path);
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(device));
            var parser = OracleCheckpoint.Load(path, selection.Device);
            _owned.Add(parser);
            return new OracleJudge(new ShapesBenchScorer(parser, refine), path);
        }

        public void Dispose()
        {
            foreach (var owned in _owned)
                owned.Dispose();
        }
    }
}
