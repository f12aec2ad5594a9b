using System.CommandLine;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit grid submit|status|report</c>: ablation grids from <c>experiments/grids/*.yaml</c>.</summary>
internal static class GridCommands
{
    public static Command Build()
    {
        var grid = new Command("grid",
            "Ablation grids: a base config plus axes (variants, W&B-style parameters, seeds) expanded into runs with stable config hashes.");
        grid.Subcommands.Add(Submit());
        grid.Subcommands.Add(Status());
        grid.Subcommands.Add(Report());
        return grid;
    }

    private static Command Submit()
    {
        var file = new Argument<FileInfo>("file") { Description = "Grid file, e.g. experiments/grids/grid-table3-objective.yaml." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Expand and print the points without touching the database." };
        var seeds = new Option<long[]>("--seeds")
        {
            Description = "Submit only these of the grid's seeds (e.g. --seeds 0 runs one seed of every point first; a later " +
                          "submit without it adds the other seeds and reruns nothing).",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("submit",
            "Expand a grid, create a run per new point and queue train → generate → evaluate → report for every run not " +
            "finished or queued. Resubmitting an unchanged grid creates and queues nothing.") { file, dryRun, seeds };
        CliAction.Set(command, async (parse, ct) =>
        {
            var spec = GridSpec.Load(parse.GetValue(file)!.FullName);
            if (parse.GetValue(seeds) is { Length: > 0 } chosen)
                spec = spec.WithSeeds(chosen);
            var points = GridExpander.Expand(spec);
            var continues = points.Any(p => p.After is not null);
            var table = new Table().AddColumns(continues ? ["point", "config hash", "starts from the editor of"] : ["point", "config hash"]).Border(TableBorder.Rounded);
            foreach (var p in points)
                table.AddRow(continues ? [Markup.Escape(p.Label), p.Hash[..12], Markup.Escape(p.After?.Label ?? "–")] : [Markup.Escape(p.Label), p.Hash[..12]]);
            AnsiConsole.Write(table);
            if (parse.GetValue(dryRun))
            {
                AnsiConsole.MarkupLine($"{points.Count} points (dry run: nothing stored or queued)");
                return 0;
            }
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var client = JobsClient.Create(dataSource);
            var result = await new GridSubmitter(dataSource, client.Storage, client.Jobs).SubmitAsync(spec, ct);
            AnsiConsole.MarkupLine($"grid [bold]{Markup.Escape(result.Grid)}[/]: {result.Points} points, {result.Created} new run(s), " +
                                   $"{result.Queued} chain(s) queued, {result.AlreadyFinished} finished, {result.AlreadyQueued} already queued");
            if (result.Queued > 0)
                AnsiConsole.MarkupLine("Jobs run on 'npedit serve' (all queues) or 'npedit worker --queues gpu' processes; " +
                                       $"follow them with 'npedit grid status {Markup.Escape(result.Grid)}'.");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var grid = new Argument<string>("grid") { Description = "Grid name or grid file." };
        var command = new Command("status", "Show every run of a grid: status, last step, job and error.") { grid };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var record = await FindAsync(dataSource, parse.GetValue(grid)!, ct);
            var runs = await new GridStore(dataSource).RunsAsync(record.Id, ct);
            var table = new Table().AddColumns("run", "status", "step", "job", "error").Border(TableBorder.Rounded);
            foreach (var r in runs)
                table.AddRow(Markup.Escape(r.Name ?? r.RunId.ToString()), r.Status, r.Step?.ToString() ?? "–", r.JobId ?? "", Markup.Escape(r.Error ?? ""));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"{runs.Count(r => r.Status == "finished")}/{runs.Count} finished" +
                                   (record.ReportPath is null ? "" : $"; report: {Markup.Escape(record.ReportPath)}"));
            return 0;
        });
        return command;
    }

    private static Command Report()
    {
        var grid = new Argument<string>("grid") { Description = "Grid name or grid file." };
        var command = new Command("report", "Write the grid's report now (it is also rewritten after each run's evaluation).") { grid };
        CliAction.Set(command, async (parse, ct) =>
        {
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var record = await FindAsync(dataSource, parse.GetValue(grid)!, ct);
            var path = await new GridReporter(dataSource).WriteAsync(record.Id, ct);
            AnsiConsole.MarkupLine($"report: {Markup.Escape(path)}");
            return 0;
        });
        return command;
    }

    private static async Task<GridRecord> FindAsync(NpgsqlDataSource dataSource, string nameOrFile, CancellationToken ct)
    {
        var name = File.Exists(nameOrFile) ? GridSpec.Load(nameOrFile).Name : nameOrFile;
        return await new GridStore(dataSource).FindAsync(name, ct)
            ?? throw new ArgumentException($"No grid named '{name}' was submitted; run 'npedit grid submit experiments/grids/grid-<name>.yaml' first.");
    }
}
