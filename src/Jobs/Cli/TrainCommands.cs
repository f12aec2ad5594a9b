using System.CommandLine;
using System.Globalization;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit train --config experiments/X.yaml [--set k=v]… [--resume]</c>: NP-Edit training (Algorithm 1). Thin:
/// it resolves the config, loads its <see cref="TrainingInputs"/>, opens the run row and hands over to
/// <see cref="NpEditRun"/>. The run is identified by (experiment, resolved config), so resubmitting the same
/// config finds the same run and folder.
/// </summary>
internal static class TrainCommands
{
    public static Command Build()
    {
        var config = new Option<FileInfo>("--config") { Description = "Experiment file with overrides of the paper defaults, e.g. experiments/e010-npedit-shapes-demo.yaml.", Required = true };
        var set = new Option<string[]>("--set") { Description = "Override one key, e.g. --set optim.lr=1e-4 (repeatable).", AllowMultipleArgumentsPerToken = false };
        var resume = new Option<bool>("--resume") { Description = "Continue the run with this config from its newest checkpoint." };
        var command = new Command("train", "Train an editor with NP-Edit (VLM Yes/No loss + DMD, no paired data), or an ablation of it.") { config, set, resume };
        CliAction.Set(command, async (parse, ct) =>
        {
            try
            {
                return await TrainAsync(parse.GetValue(config)!, parse.GetValue(set) ?? [], parse.GetValue(resume), ct);
            }
            catch (Exception e) when (e is ConfigException or TrainingDivergedException or InvalidDataException or FileNotFoundException
                                          or DirectoryNotFoundException or ArgumentException or FormatException)
            {
                // Plain stderr: Spectre wraps at 80 columns when redirected, which splits key names and paths in the message.
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> TrainAsync(FileInfo configFile, string[] sets, bool resume, CancellationToken ct)
    {
        var resolved = ConfigLoader.Load<NpEditConfig>(configFile.FullName, sets);
        var config = resolved.Value;
        var selection = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device));
        var device = selection.Device;
        AnsiConsole.MarkupLine($"device [bold]{Markup.Escape(device.ToString())}[/] ({Markup.Escape(selection.Reason)})");

        using var inputs = await TrainingInputs.LoadAsync(config, device, ct);
        if (inputs.Dataset is { } dataset)
            AnsiConsole.MarkupLine($"data: {dataset.Rows.Count} rows in {dataset.Shards.Count} shard(s), {inputs.Sampler!.Subset.Count} used (fraction {config.Data.Fraction})");

        await using var dataSource = await NpEditDatabase.OpenAsync(ct);
        var runs = new RunStore(dataSource);
        var (run, created) = await runs.CreateOrGetAsync(new NewRun(config.Experiment, "train", resolved.Json) { Device = device.ToString() }, ct);
        var directory = Path.GetFullPath(Path.Combine(config.Run.OutputRoot, config.Experiment, run.Id.ToString()));
        if (!resume && NpEditRun.LatestCheckpoint(directory) is { } existing)
            throw new ArgumentException(
                $"Run {run.Id} (same experiment and config) already has checkpoints in {directory} (newest {Path.GetFileName(existing)}). " +
                "Pass --resume to continue it, or change the config (e.g. --set run.seed=1) to start a new run.");

        using var trainer = inputs.CreateTrainer();
        var training = inputs.CreateRun(trainer, directory, new TrainingTracker(run.Id, new MetricStore(dataSource), new ArtifactStore(dataSource)));
        if (resume)
            AnsiConsole.MarkupLine($"resumed at step {training.Resume()}");
        AnsiConsole.MarkupLine($"run [bold]{run.Id}[/] ({(created ? "new" : "existing")}), experiment {Markup.Escape(config.Experiment)}, folder {Markup.Escape(directory)}");

        await runs.SetStatusAsync(run.Id, RunStatus.Running, ct: CancellationToken.None);
        try
        {
            await training.RunAsync((step, logs) =>
            {
                if (step % config.Run.MetricsEvery == 0 || step == config.Schedule.Steps)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"step {step,6}/{config.Schedule.Steps}  loss {logs.GetValueOrDefault("loss/total"),9:F4}  {logs.GetValueOrDefault("time/step_s"),6:F2}s/step"));
            }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await runs.SetStatusAsync(run.Id, RunStatus.Cancelled, "cancelled; continue with --resume", CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await runs.SetStatusAsync(run.Id, RunStatus.Failed, e.Message, CancellationToken.None);
            throw;
        }
        await runs.SetStatusAsync(run.Id, RunStatus.Finished, ct: CancellationToken.None);
        AnsiConsole.MarkupLine($"[green]done[/]: {trainer.StepsDone} steps, {trainer.Guard.Skipped} skipped; checkpoint {Markup.Escape(NpEditRun.LatestCheckpoint(directory) ?? "-")}");
        return 0;
    }
}
