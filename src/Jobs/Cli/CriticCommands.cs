using System.CommandLine;
using NpEdit.Core.Config;
using NpEdit.Core.Database;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Runtime;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit critic ask</c> probes any critic checkpoint with images and a question; <c>npedit pretrain critic</c>
/// (registered under <see cref="PretrainCommands"/>) trains the ShapesWorld critic.
/// </summary>
internal static class CriticCommands
{
    public static Command Build()
    {
        var critic = new Command("critic", "The VLM critic whose Yes/No answers train the editor (§4.2).");
        critic.Subcommands.Add(Ask());
        return critic;
    }

    private static Command Ask()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A critic .safetensors (from 'npedit pretrain critic') or a Hugging Face LLaVA-OneVision folder.", Required = true };
        var images = new Option<FileInfo[]>("--image") { Description = "PNG image; give two for [reference, edited] questions (the first is shown first).", Required = true };
        var question = new Option<string>("--question") { Description = "The question, e.g. \"Answer with a Yes or No if the image has red circle.\"", Required = true };
        var device = new Option<string>("--device") { Description = "auto, cpu, or cuda[:N].", DefaultValueFactory = _ => "cpu" };
        var command = new Command("ask", "Print the critic's p(Yes) = σ(ℓ_Yes − ℓ_No) for one question about one or two images.")
        {
            checkpoint, images, question, device,
        };
        CliAction.Set(command, (parse, ct) =>
        {
            var files = parse.GetValue(images)!;
            if (files.Length is < 1 or > 2)
                throw new ArgumentException($"Give one or two --image files; got {files.Length}.");
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(parse.GetValue(device)));
            using var gc = TorchGcGuard.Enter();   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
            using var scope = NewDisposeScope();
            var tensors = files.Select(f => ReadPng(f, selection.Device)).ToArray();
            using var critic = (LlavaOnevisionCritic)CriticCheckpoint.Load(parse.GetValue(checkpoint)!, selection.Device);
            using var _ = no_grad();
            var p = critic.ProbabilityYes(tensors.Length == 2 ? tensors[0] : null, tensors[^1], [parse.GetValue(question)!]).item<float>();
            Console.WriteLine($"p(Yes) = {p:F4}");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary><c>npedit pretrain critic</c>.</summary>
    public static Command Pretrain()
    {
        var output = new Option<FileInfo>("--out") { Description = "Checkpoint to write (its .config.json goes next to it).", DefaultValueFactory = _ => new FileInfo(Path.Combine(".npedit", "critics", "shapes-mini.safetensors")) };
        var config = new Option<FileInfo?>("--config") { Description = "Experiment file with overrides only, e.g. experiments/e030-critic-question-first.yaml." };
        var set = new Option<string[]>("--set") { Description = "Override a setting, e.g. --set steps=300 --set batch_size=16 (keys of CriticPretrainConfig in snake case; applied after --config)." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when it initializes, else CPU), cpu, or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var renderWorkers = new Option<int?>("--render-workers")
        {
            Description = $"Threads rendering the ShapesWorld batches ahead of each step (0: on the training thread); the run does not depend on it. Default: cores − 2, at most 4 (here {CriticTrainingBatches.DefaultWorkers}).",
        };
        var retrain = new Option<bool>("--retrain")
        {
            Description = "Train even when a finished run has exactly these settings (its metrics and checkpoint tag are replaced); without it that run's critic is reused and copied to --out.",
        };
        var command = new Command("critic",
            "Pretrain the ShapesWorld critic (LLaVA-OneVision architecture, a ShapesWorld preset: shapes-mini-16 unless --set preset=) on Yes/No presence, edit-verification and " +
            "identity-preservation questions from ShapesWorld; records a run with held-out accuracy per question family in PostgreSQL.")
        {
            output, config, set, device, renderWorkers, retrain,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            if (parse.GetValue(renderWorkers) is < 0 or > 64)
                throw new ArgumentException($"--render-workers must be between 0 and 64; got {parse.GetValue(renderWorkers)}.");
            ResolvedConfig<CriticPretrainConfig> resolved;
            try
            {
                resolved = ConfigLoader.Load<CriticPretrainConfig>(parse.GetValue(config)?.FullName, parse.GetValue(set) ?? []);
                resolved.Value.Validate();
            }
            catch (ConfigException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
            var selection = TorchRuntime.Initialize(DeviceSpec.Parse(parse.GetValue(device)));
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var path = parse.GetValue(output)!.FullName;
            AnsiConsole.MarkupLine($"pretraining critic [bold]{Markup.Escape(resolved.Value.Preset)}[/] for {resolved.Value.Steps} steps on {Markup.Escape(selection.Device.ToString())}");
            var progress = new Progress<(long Step, double Loss)>(p =>
            {
                if (p.Step % 50 == 0)
                    Console.WriteLine($"  step {p.Step}/{resolved.Value.Steps} loss {p.Loss:F4}");
            });
            var outcome = await new CriticPretrainRun(dataSource).RunAsync(resolved, path, selection.Device, progress, parse.GetValue(renderWorkers), parse.GetValue(retrain), ct);
            if (outcome.ReusedFrom is { } previous)
                AnsiConsole.MarkupLine($"[yellow]reused[/]: run {outcome.RunId} already pretrained a critic with exactly these settings ({Markup.Escape(previous)}); " +
                                       "its held-out numbers follow. Pass --retrain to train it again, or change a setting (e.g. --set seed=1) for another critic.");
            // Pairs: the same images asked a Yes and a No question; an image-only critic scores 50 % and 0 % there.
            var table = new Table().AddColumns("family", "held-out accuracy", "contrastive pairs", "pairs both right");
            foreach (var family in CriticExample.Families)
            {
                var pairs = outcome.Pairs(family);
                table.AddRow(family, Percent(outcome.HeldOut, $"heldout/accuracy/{family}"), pairs is { } p ? $"{p.Accuracy:P1}" : "–", pairs is { } q ? $"{q.BothRight:P1}" : "–");
            }
            AnsiConsole.Write(table);
            // A critic checks only what its image tokens carry: presence falls to the colour alone when shape is not read.
            Console.WriteLine($"held-out scene-label read-out (patches with an object): {string.Join(", ", SceneLabels.ObjectLabelNames.Select(n => $"{n} {Percent(outcome.HeldOut, $"heldout/scene_labels/{n}")}"))}");
            AnsiConsole.MarkupLine($"run [bold]{outcome.RunId}[/]: {outcome.Step} steps in {outcome.TrainSeconds:F0} s; checkpoint {Markup.Escape(outcome.Checkpoint)}");
            return 0;
        });
        return command;
    }

    /// <summary>A held-out metric as a percentage, or "–" for a run recorded before the metric existed.</summary>
    private static string Percent(IReadOnlyDictionary<string, double> heldOut, string key) =>
        heldOut.TryGetValue(key, out var value) ? $"{value:P1}" : "–";

    /// <summary>A PNG as (1, 3, H, W) in [−1, 1].</summary>
    private static Tensor ReadPng(FileInfo file, Device device)
    {
        if (!file.Exists)
            throw new FileNotFoundException($"Image {file.FullName} not found.", file.FullName);
        byte[] rgb;
        int width, height;
        try
        {
            (rgb, width, height) = PngCodec.Decode(File.ReadAllBytes(file.FullName));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"{file.FullName} cannot be read as a PNG: {e.Message}", e);
        }
        return (tensor(rgb, [1, height, width, 3]).to(float32, device).permute(0, 3, 1, 2) / 127.5 - 1).contiguous();
    }
}
