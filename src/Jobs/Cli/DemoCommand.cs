using System.CommandLine;
using NpEdit.Jobs.Demo;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit demo [--quick]</c>: the whole pipeline on the embedded ShapesWorld defaults, through jobs — corpus,
/// annotator endpoint, dataset, pretraining (or reuse), NP-Edit training, ShapesWorld-Bench evaluation, report.
/// </summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var quick = new Option<bool>("--quick") { Description = "The short demo (target: 3 minutes on 2 cores)." };
        var pretrainGInit = new Option<bool>("--pretrain-g-init")
        {
            Description = "Pretrain G_init on the CPU (e001) even when the build bundles a GPU-pretrained one (the full demo uses that by default).",
        };
        var port = new Option<int>("--port") { Description = "Dashboard port while the demo runs (a free one if taken).", DefaultValueFactory = _ => 5080 };
        var command = new Command("demo",
            "Run the whole pipeline on the embedded ShapesWorld defaults through jobs: database, corpus, annotator, dataset, " +
            "pretraining (reused when present; the full demo takes the bundled G_init), NP-Edit training, evaluation, report. A rerun reuses finished work.") { quick, pretrainGInit, port };
        CliAction.Set(command, async (parse, ct) =>
        {
            var settings = parse.GetValue(quick) ? DemoSettings.Quick : DemoSettings.Full;
            AnsiConsole.Write(new Rule($"[bold]NpEdit demo[/] ({settings.Name})"));
            try
            {
                return await new DemoPipeline(settings, DemoPaths.ForState(), parse.GetValue(port), parse.GetValue(pretrainGInit)).RunAsync(ct);
            }
            catch (DemoStageFailedException e)
            {
                AnsiConsole.MarkupLine($"[red]demo stopped:[/] {Markup.Escape(e.Message)}");
                AnsiConsole.MarkupLine("Fix the cause and rerun 'npedit demo': finished stages are reused.");
                return 1;
            }
        });
        return command;
    }
}
