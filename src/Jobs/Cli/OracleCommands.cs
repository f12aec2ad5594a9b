using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using NpEdit.Evaluator.Oracle;
using NpEdit.Trainer.Runtime;
using Spectre.Console;
using TorchSharp;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit oracle …</c>: train and check the ShapesWorld ground-truth oracle (a scene parser used only to score
/// ShapesWorld-Bench). Thin: each command calls one public Evaluator API.
/// </summary>
internal static class OracleCommands
{
    public static Command Build()
    {
        var oracle = new Command("oracle", "The ShapesWorld ground-truth oracle: a scene parser that scores edits against the true target scene (evaluation only, never used in training).");
        oracle.Subcommands.Add(Train());
        oracle.Subcommands.Add(Check());
        return oracle;
    }

    private static Command Train()
    {
        var output = new Option<FileInfo>("--out") { Description = "Weights file to write (.safetensors); its .config.json goes next to it.", DefaultValueFactory = _ => new FileInfo("oracle/shapesworld-oracle.safetensors") };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps (each renders --batch fresh scenes).", DefaultValueFactory = _ => new OracleTrainConfig().Steps };
        var batch = new Option<int>("--batch") { Description = "Scenes per step.", DefaultValueFactory = _ => new OracleTrainConfig().BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak AdamW learning rate.", DefaultValueFactory = _ => new OracleTrainConfig().LearningRate };
        var seed = new Option<int>("--seed") { Description = "Seed of weight initialisation and noise augmentation.", DefaultValueFactory = _ => 0 };
        var evalScenes = new Option<int>("--eval-scenes") { Description = "Held-out scenes to measure accuracy on after training (0 skips it).", DefaultValueFactory = _ => 1000 };
        var init = new Option<FileInfo?>("--init") { Description = "Start from this oracle's weights (a second phase with its own schedule) instead of a fresh network." };
        var simplifyUntil = new Option<double>("--simplify-until") { Description = "Share of the steps over which the easy-scenes curriculum fades (0: full scenes from the start).", DefaultValueFactory = _ => new OracleTrainConfig().SimplifyUntil };
        var simplifyFloor = new Option<double>("--simplify-floor") { Description = "Chance of simplifying each style, backdrop and fill once the curriculum has faded.", DefaultValueFactory = _ => new OracleTrainConfig().SimplifyFloor };
        var detailOnly = new Option<bool>("--detail-only") { Description = "Train only the detail branch (the fine-grained heads' full-resolution input) and keep the rest of the --init network as it is." };
        var saveEvery = new Option<int>("--save-every") { Description = "Also write the weights every N steps (0: only at the end and when stopped by Ctrl+C or SIGTERM), so even a killed run leaves a usable oracle.", DefaultValueFactory = _ => 0 };
        var device = DeviceOption();
        var threads = new Option<int?>("--threads") { Description = "Torch threads (default: NPEDIT_TORCH_THREADS, else all processors)." };
        var cmd = new Command("train", "Train the scene parser on renders from the oracle seed range (disjoint from corpora and the benchmark) and report held-out accuracy.")
        {
            output, steps, batch, lr, seed, evalScenes, init, simplifyUntil, simplifyFloor, detailOnly, saveEvery, device, threads,
        };
        CliAction.Set(cmd, (p, ct) =>
        {
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(p.GetValue(device)), p.GetValue(threads));
            var config = new OracleTrainConfig
            {
                Steps = p.GetValue(steps), BatchSize = p.GetValue(batch), LearningRate = p.GetValue(lr), Seed = p.GetValue(seed),
                SimplifyUntil = p.GetValue(simplifyUntil), SimplifyFloor = p.GetValue(simplifyFloor), DetailOnly = p.GetValue(detailOnly),
            }.Validate();
            if (config.DetailOnly && p.GetValue(init) is null)
                throw new ArgumentException("--detail-only keeps the rest of the network as it starts, so it needs --init with a trained oracle.");
            var path = p.GetValue(output)!.FullName;
            AnsiConsole.MarkupLine($"Training the oracle on {Markup.Escape(selection.Device.ToString())} ({torch.get_num_threads()} threads): {config.Steps} steps × {config.BatchSize} scenes at {config.Model.Resolution} px.");
            using var trainer = new OracleTrainer(config, selection.Device);
            if (p.GetValue(init) is { } start)
            {
                var fresh = trainer.InitializeFrom(start.FullName);
                AnsiConsole.MarkupLine($"Starting from {Markup.Escape(start.FullName)}" + (fresh.Count == 0 ? "." : $"; {fresh.Count} tensors of the detail branch start fresh."));
            }
            var sums = new Dictionary<string, (double Sum, int Count)>();
            int every = p.GetValue(saveEvery);
            if (every < 0) throw new ArgumentException($"--save-every must be 0 or a positive number of steps (got {every}).");
            void Progress(long step, IReadOnlyDictionary<string, double> m)
            {
                if (every > 0 && step % every == 0 && step < config.Steps)
                    trainer.Save(path, new OracleTrainingRecord(config, step, Math.Round(trainer.TrainSeconds, 1), torch.get_num_threads(), Machine(), null));
                foreach (var (name, value) in m) sums[name] = (sums.GetValueOrDefault(name).Sum + value, sums.GetValueOrDefault(name).Count + 1);
                if (step % 50 != 0 && step != config.Steps) return;
                // Means since the last line: one batch's loss is too noisy to follow.
                var heads = string.Join(" ", sums.Where(kv => kv.Key.StartsWith("loss/", StringComparison.Ordinal))
                    .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key[5..]} {kv.Value.Sum / kv.Value.Count:F3}")));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  step {step}/{config.Steps}  loss {sums["loss"].Sum / sums["loss"].Count:F4}  lr {m["lr"]:E2}  {trainer.TrainSeconds:F0}s  [{heads}]"));
                sums.Clear();
            }
            try
            {
                trainer.Run(Progress, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested && trainer.Step > 0)
            {
                // Stopped by Ctrl+C or a time limit: keep the steps done (the loop stops between steps, so the weights are whole).
                trainer.Save(path, new OracleTrainingRecord(config, trainer.Step, Math.Round(trainer.TrainSeconds, 1), torch.get_num_threads(), Machine(), null));
                AnsiConsole.MarkupLine($"Stopped at step {trainer.Step} of {config.Steps}; wrote {Markup.Escape(path)} (continue from it with --init).");
                throw;
            }
            OracleAccuracyReport? report = null;
            if (p.GetValue(evalScenes) > 0)
            {
                using var parser = new SceneParser(trainer.Network, selection.Device, ownsNetwork: false);
                report = OracleAccuracy.Measure(parser, p.GetValue(evalScenes));
                PrintReport(report);
            }
            trainer.Save(path, new OracleTrainingRecord(config, trainer.Step, Math.Round(trainer.TrainSeconds, 1), torch.get_num_threads(), Machine(), report));
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(path)} and {Markup.Escape(OracleCheckpoint.ConfigPath(path))} after {trainer.TrainSeconds:F0} s of training.");
            return Task.FromResult(0);
        });
        return cmd;
    }

    private static Command Check()
    {
        var checkpoint = new Option<FileInfo?>("--checkpoint") { Description = "Oracle weights (.safetensors) written by 'npedit oracle train' (default: the oracle bundled with the build)." };
        var scenes = new Option<int>("--scenes") { Description = "Held-out scenes to parse.", DefaultValueFactory = _ => 1000 };
        var first = new Option<long>("--first-scene") { Description = "Index of the first held-out scene (the bundled oracle's test reads 300 from 50000).", DefaultValueFactory = _ => 0 };
        var res = new Option<int?>("--res") { Description = "Render the scenes at this size (default: the oracle's resolution); other sizes are resized before parsing." };
        var refine = new Option<bool>("--refine")
        {
            Description = "Check the network's reading by rendering alternatives (analysis by synthesis), as 'eval judge --judge oracle' does; " +
                "--refine false measures the network alone (faster).",
            DefaultValueFactory = _ => true,
        };
        var device = DeviceOption();
        var cmd = new Command("check", "Measure an oracle's attribute accuracy on clean held-out renders.") { checkpoint, scenes, first, res, refine, device };
        CliAction.Set(cmd, (p, ct) =>
        {
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(p.GetValue(device)));
            var path = OracleCheckpoint.Resolve(p.GetValue(checkpoint)?.FullName);
            AnsiConsole.MarkupLine($"Oracle: {Markup.Escape(path)} ({(p.GetValue(refine) ? "network + refinement by rendering alternatives" : "network alone")})");
            using var parser = OracleCheckpoint.Load(path, selection.Device);
            if (p.GetValue(first) < 0) throw new ArgumentException($"--first-scene must not be negative (got {p.GetValue(first)}).");
            PrintReport(OracleAccuracy.Measure(parser, p.GetValue(scenes), p.GetValue(res), p.GetValue(first), p.GetValue(refine)));
            return Task.FromResult(0);
        });
        return cmd;
    }

    private static Option<string> DeviceOption() => new("--device")
    {
        Description = "auto (CUDA when it initializes, else CPU), cpu, or cuda[:N].",
        DefaultValueFactory = _ => "auto",
    };

    private static void PrintReport(OracleAccuracyReport report)
    {
        var table = new Table().AddColumns("attribute", "accuracy", "correct / total").Border(TableBorder.Rounded);
        foreach (var a in report.Attributes)
            table.AddRow(a.Name, a.Total == 0 ? "-" : a.Accuracy.ToString("P2", CultureInfo.InvariantCulture), $"{a.Correct} / {a.Total}");
        table.AddRow("[bold]all attributes[/]", report.Overall.ToString("P2", CultureInfo.InvariantCulture), "");
        table.AddRow("[bold]whole scene right[/]", report.SceneExact.ToString("P2", CultureInfo.InvariantCulture), $"{report.Scenes} scenes at {report.Resolution} px");
        AnsiConsole.Write(table);
    }

    private static string Machine() =>
        $"{Environment.ProcessorCount} CPU(s), {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}";
}
