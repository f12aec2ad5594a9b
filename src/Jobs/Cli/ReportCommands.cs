using System.CommandLine;
using NpEdit.Core.Database;
using NpEdit.Evaluator.Reports;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit report --experiment X | --grid G</c>: report.md and report.html with plots, from PostgreSQL.</summary>
internal static class ReportCommands
{
    public static Command Build()
    {
        var experiment = new Option<string?>("--experiment") { Description = "Report the eval runs (and training curves) of this experiment." };
        var grid = new Option<string?>("--grid") { Description = "Report the eval runs tagged grid=G ('npedit eval judge --grid G')." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for report.md, report.html and the PNGs (default: reports/<name>)." };
        var rows = new Option<int>("--rows") { Description = "Rows of the qualitative grid per benchmark.", DefaultValueFactory = _ => 6 };
        var command = new Command("report",
            "Write report.md and report.html: the ablation table with 95% intervals and failures, per-edit-type bars, training curves, " +
            "a qualitative grid (input | output | ground truth) and critic-vs-oracle agreement.")
        {
            experiment, grid, output, rows,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var name = parse.GetValue(experiment) ?? parse.GetValue(grid) ?? "";
            var folder = parse.GetValue(output)?.FullName ?? Path.Combine(Environment.CurrentDirectory, "reports", name);
            var request = new ReportRequest(parse.GetValue(experiment), parse.GetValue(grid), folder) { QualitativeRows = parse.GetValue(rows) };
            request.Validate();
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var result = await new ReportBuilder(dataSource).BuildAsync(request, ct);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(result.MarkdownPath)} and report.html with {result.Images.Count} plot(s).");
            foreach (var note in result.Notes)
                AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(note)}[/]");
            return 0;
        });
        return command;
    }
}
