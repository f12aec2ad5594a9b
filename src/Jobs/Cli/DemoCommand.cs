using System.CommandLine;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit demo</c>: the whole pipeline on the embedded ShapesWorld defaults. Until the pipeline stages
/// land it brings up the database and checks the machine, and says so.
/// </summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var quick = new Option<bool>("--quick") { Description = "The short demo (target: 3 minutes on 2 cores)." };
        var command = new Command("demo",
            "Run the whole pipeline on the embedded ShapesWorld defaults: database, corpus, annotator, dataset, " +
            "pretraining, NP-Edit training, evaluation, report.") { quick };
        CliAction.Set(command, async (parse, ct) =>
        {
            AnsiConsole.Write(new Rule("[bold]NpEdit demo[/]"));
            AnsiConsole.MarkupLine("[bold]1/2[/] database");
            var db = await DbCommands.Build().Subcommands.Single(c => c.Name == "up").Parse([]).InvokeAsync(cancellationToken: ct);
            if (db != 0)
                return db;
            AnsiConsole.MarkupLine("[bold]2/2[/] machine check");
            var doctor = await DoctorCommand.Build().Parse([]).InvokeAsync(cancellationToken: ct);
            if (doctor != 0)
                return doctor;
            AnsiConsole.MarkupLine(
                "The database and the torch runtime are ready. The full demo (ShapesWorld corpus, annotator endpoint, " +
                "dataset, pretraining, NP-Edit training, evaluation and report) is coming as those stages land.");
            return 0;
        });
        return command;
    }
}
