using System.CommandLine;
using System.Runtime.InteropServices;
using NpEdit.Core.Config;
using NpEdit.Core.Database;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit pretrain …</c>: models trained before NP-Edit itself. <c>t2i</c> pretrains the text-to-image
/// G_init, <c>critic</c> the ShapesWorld critic; each subcommand is self-contained and calls one library entry point.
/// </summary>
internal static class PretrainCommands
{
    public static Command Build()
    {
        var pretrain = new Command("pretrain", "Pretrain the models NP-Edit starts from (G_init, the critic, …).");
        pretrain.Subcommands.Add(T2I());
        pretrain.Subcommands.Add(CriticCommands.Pretrain());
        return pretrain;
    }

    private static Command T2I()
    {
        var preset = new Option<string?>("--preset") { Description = "Model preset: shapes-xs, shapes-s (CPU demo, default), shapes-m, dit-2b." };
        var config = new Option<FileInfo?>("--config") { Description = "Experiment file with overrides only, e.g. experiments/e001-pretrain-shapes-s-cpu.yaml." };
        var set = new Option<string[]>("--set") { Description = "Override one key, e.g. --set steps=200 --set data.batch_size=16 (applied last).", AllowMultipleArgumentsPerToken = false };
        var resume = new Option<bool>("--resume") { Description = "Continue the run with this config from its last checkpoint (weights, optimizer, step, random state)." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when it initializes, else CPU), cpu, or cuda[:N].", DefaultValueFactory = _ => "auto" };
        var command = new Command("t2i",
            "Pretrain the text-to-image G_init (DiT + ShapesWorld text encoder) by flow matching on a ShapesWorld corpus, " +
            "with caption dropout for CFG. Records a run with metrics in PostgreSQL, writes safetensors checkpoints and " +
            "sample grids under .npedit/runs/<run-id>/. Ctrl-C saves a checkpoint; --resume continues.")
        {
            preset, config, set, resume, device,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var spec = DeviceSpec.Parse(parse.GetValue(device));
            ResolvedConfig<T2IPretrainJobConfig> resolved;
            try
            {
                resolved = Resolve(parse.GetValue(config), parse.GetValue(preset), parse.GetValue(set) ?? []);
            }
            catch (ConfigException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
            var selection = TorchRuntime.Initialize(spec);
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var job = new T2IPretrainJob(dataSource);
            var (run, created) = await job.CreateRunAsync(resolved, selection.Device.ToString(), ct);
            var checkpoint = T2IPretrainJob.LatestCheckpoint(run.Id);
            if (checkpoint is not null && !parse.GetValue(resume))
            {
                AnsiConsole.MarkupLine($"[yellow]refusing:[/] run {run.Id} with this config already has {Markup.Escape(Path.GetFileName(checkpoint))}; " +
                                       "pass --resume to continue it, or change the config (e.g. --set seed=1) for a new run.");
                return 1;
            }
            AnsiConsole.MarkupLine($"{(created ? "new" : "existing")} run [bold]{run.Id}[/] ({Markup.Escape(run.Name ?? "")}) in experiment " +
                                   $"[bold]{Markup.Escape(resolved.Value.Experiment)}[/] on {Markup.Escape(selection.Device.ToString())}: {Markup.Escape(selection.Reason)}");
            AnsiConsole.MarkupLine($"files: {Markup.Escape(T2IPretrainJob.RunDirectory(run.Id))}");

            // Ctrl-C (SIGINT) or SIGTERM ends training after the current step with a checkpoint; registered here as
            // well as in System.CommandLine so the stop never depends on another handler running first.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                interrupt.Cancel();
            }

            T2IPretrainOutcome? outcome = null;
            try
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var bar = ctx.AddTask("pretrain t2i", maxValue: resolved.Value.Steps);
                        var progress = new Progress<T2IProgress>(p =>
                        {
                            bar.Value = p.Step;
                            bar.Description = p.Loss is { } loss ? $"{p.Phase} loss {loss:F4}" : p.Phase;
                        });
                        outcome = await job.RunAsync(run.Id, resume: true, progress, interrupt.Token);
                    });
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                AnsiConsole.MarkupLine("[yellow]stopped[/] before training started; rerun with --resume");
                return 130;
            }
            var agreement = outcome!.Agreement is { } a
                ? $"; caption colour agreement {a.Agreement:P1} of {a.Readable} readable objects"
                : "";
            AnsiConsole.MarkupLine(outcome.Completed
                ? $"[green]done[/]: step {outcome.Step}, {outcome.TrainSeconds:F0} s training wall time, {outcome.CpuSeconds:F0} CPU seconds{agreement}"
                : $"[yellow]stopped[/] at step {outcome.Step}; resume with the same options plus --resume");
            AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(outcome.Checkpoint)}");
            return outcome.Completed ? 0 : 130;
        });
        return command;
    }

    /// <summary>Defaults, then the experiment file, then --preset, then --set; the experiment is named after the file unless it says otherwise.</summary>
    private static ResolvedConfig<T2IPretrainJobConfig> Resolve(FileInfo? file, string? preset, string[] sets)
    {
        if (file is { Exists: false })
            throw new FileNotFoundException($"Config file '{file.FullName}' does not exist; pass a path such as experiments/e001-pretrain-shapes-s-cpu.yaml.");
        var overrides = new List<string>();
        if (preset is not null)
            overrides.Add($"preset={preset}");
        overrides.AddRange(sets);
        var resolved = ConfigLoader.Load<T2IPretrainJobConfig>(file?.FullName, overrides);
        if (file is not null && resolved.Value.Experiment == new T2IPretrainJobConfig().Experiment)
            resolved = ConfigLoader.Load<T2IPretrainJobConfig>(file.FullName, [$"experiment={Path.GetFileNameWithoutExtension(file.Name)}", .. overrides]);
        return resolved;
    }
}
