using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NpEdit.Core.Database;
using NpEdit.Evaluator.GInit;
using NpEdit.Trainer.Runtime;
using Spectre.Console;
using TorchSharp;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit eval g-init</c>: issue 4's quality bar for a pretrained G_init, read by the ShapesWorld oracle
/// (<see cref="GInitEvaluation"/>), printed next to the ceiling of true renders, and stored with the run when known.
/// </summary>
internal static class GInitEvalCommand
{
    public static Command Build()
    {
        var checkpoint = new Option<FileInfo>("--checkpoint") { Description = "G_init weights: generator.safetensors (with its .config.json) of a 'npedit pretrain t2i' run.", Required = true };
        var scenes = new Option<int>("--scenes") { Description = "Held-out captions to sample (the pretrainer's own evaluation captions come first).", DefaultValueFactory = _ => 200 };
        var cfg = new Option<double?>("--cfg") { Description = "Classifier-free guidance scale (default: the checkpoint's eval.guidance_scale)." };
        var sampleSteps = new Option<int?>("--sample-steps") { Description = "Euler steps (default: the checkpoint's eval.sample_steps)." };
        var seed = new Option<long>("--seed") { Description = "Noise seed (1 is the pretrainer's evaluation seed).", DefaultValueFactory = _ => 1 };
        var oracle = new Option<FileInfo?>("--oracle") { Description = "Oracle weights from 'npedit oracle train' (default: the oracle bundled with the build)." };
        var grid = new Option<FileInfo?>("--grid") { Description = "Sample grid PNG (true render | sample | oracle's reading); default: the run's samples/ folder, else .npedit/g-init-eval/." };
        var gridScenes = new Option<int>("--grid-scenes") { Description = "Scenes shown in the grid (0: none).", DefaultValueFactory = _ => 16 };
        var run = new Option<string>("--run") { Description = "Store the metrics with this run: a run id, 'auto' (the run whose folder holds the checkpoint, if any), or 'none'.", DefaultValueFactory = _ => "auto" };
        var maxObjects = new Option<int?>("--max-objects") { Description = "Held-out scenes with at most N objects (default: the checkpoint's training filter); compare two G_inits on the same scenes." };
        var styles = new Option<string?>("--styles") { Description = "Held-out scenes in 'flat' style only or in 'all' styles (default: the checkpoint's training filter)." };
        var refine = new Option<bool>("--refine")
        {
            Description = "Check the oracle's readings by rendering alternatives, as 'eval judge --judge oracle' does; --refine false reads with the network alone.",
            DefaultValueFactory = _ => true,
        };
        var device = new Option<string>("--device") { Description = "auto (CUDA when it initializes, else CPU), cpu, or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var command = new Command("g-init",
            "Measure how well a pretrained G_init's images match their captions: the ShapesWorld oracle reads each sample's objects (colour, shape, cell) and background, next to the same reading of true renders.")
        {
            checkpoint, scenes, cfg, sampleSteps, seed, oracle, grid, gridScenes, maxObjects, styles, refine, run, device,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var path = parse.GetValue(checkpoint)!.FullName;
            var flatOnly = parse.GetValue(styles) switch
            {
                null => (bool?)null,
                "flat" => true,
                "all" => false,
                var other => throw new ArgumentException($"--styles takes 'flat' or 'all' (got '{other}')."),
            };
            var filtered = parse.GetValue(maxObjects) is not null || flatOnly is not null;
            var runId = RunId(parse.GetValue(run)!, path);
            if (filtered && parse.GetValue(run) == "auto" && runId is not null)
            {
                // The run's eval/oracle_* metrics describe its own distribution; other scenes are stored only when asked.
                Console.WriteLine("Not stored with the run: --max-objects/--styles choose other scenes than its training filter (pass --run <id> to store anyway).");
                runId = null;
            }
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(parse.GetValue(device)));
            var options = new GInitEvalOptions(path, parse.GetValue(grid)?.FullName ?? DefaultGrid(path, runId, parse.GetValue(cfg)))
            {
                Scenes = parse.GetValue(scenes),
                GuidanceScale = parse.GetValue(cfg),
                SampleSteps = parse.GetValue(sampleSteps),
                Seed = parse.GetValue(seed),
                Oracle = parse.GetValue(oracle)?.FullName,
                GridScenes = parse.GetValue(gridScenes),
                MaxObjects = parse.GetValue(maxObjects),
                FlatOnly = flatOnly,
                Refine = parse.GetValue(refine),
            }.Validate();
            Console.WriteLine($"G_init: {path} on {selection.Device} ({torch.get_num_threads()} threads)");
            var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
            var result = GInitEvaluation.Run(options, selection.Device, Console.WriteLine);
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
            Print(result, cpuSeconds);
            if (runId is { } id)
            {
                await using var dataSource = await NpEditDatabase.OpenAsync(ct);
                await new GInitRunRecorder(dataSource).RecordAsync(id, result, ct);
                Console.WriteLine($"Stored {GInitRunRecorder.MetricPrefix}* at step {result.Step} with run {id}.");
            }
            else
            {
                Console.WriteLine("No run stored: the checkpoint is not in this home's runs folder (pass --run <id> to store the metrics).");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The run to store with: an explicit id, the run folder holding the checkpoint ('auto'), or none.</summary>
    private static Guid? RunId(string value, string checkpointPath) => value switch
    {
        "none" => null,
        "auto" => GInitRunRecorder.RunOf(checkpointPath),
        _ when Guid.TryParse(value, out var id) => id,
        _ => throw new ArgumentException($"--run takes a run id, 'auto' or 'none' (got '{value}')."),
    };

    private static string DefaultGrid(string checkpointPath, Guid? runId, double? cfg)
    {
        var step = Path.GetFileName(Path.GetDirectoryName(checkpointPath)) ?? "checkpoint";
        var name = $"oracle-{step}{(cfg is { } g ? string.Create(CultureInfo.InvariantCulture, $"-cfg{g}") : "")}.png";
        return runId is { } id
            ? Path.Combine(ProjectPaths.StateDirectory(), "runs", id.ToString(), "samples", name)
            : Path.Combine(ProjectPaths.StateDirectory(), "g-init-eval", $"{Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(checkpointPath))))}-{name}");
    }

    private static void Print(GInitEvaluationResult r, double cpuSeconds)
    {
        var table = new Table().AddColumns("attribute", "G_init samples", "true renders (ceiling)").Border(TableBorder.Rounded);
        foreach (var ((name, sample), (_, ceiling)) in r.Samples.Rates.Zip(r.TrueRenders.Rates))
            table.AddRow(name == "agreement" ? "[bold]attribute agreement (pooled)[/]" : name, Percent(sample), Percent(ceiling));
        AnsiConsole.Write(table);
        // Plain lines: Spectre wraps markup at 80 columns when the output is not a terminal, and these are read by scripts.
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{r.Samples.Images} scenes, {r.Samples.Objects} captioned objects; step {r.Step}, {r.Resolution} px read at the oracle's size; {r.SampleSteps} Euler steps, CFG {r.GuidanceScale}, seed {r.Seed}."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Goal >= 80% attribute agreement: {(r.Samples.Agreement >= 0.8 ? "met" : "not met")} ({r.Samples.Agreement:P1}; ceiling {r.TrueRenders.Agreement:P1})."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sampling {r.SampleSeconds:F1} s, oracle {r.ParseSeconds:F1} s (wall); {cpuSeconds:F1} CPU s in all."));
        Console.WriteLine($"Grid: {r.GridPath}");
    }

    private static string Percent(double value) => double.IsFinite(value) ? value.ToString("P1", CultureInfo.InvariantCulture) : "-";
}
