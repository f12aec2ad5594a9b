using System.CommandLine;
using System.Globalization;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.Core.Database;
using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder;
using NpEdit.DatasetBuilder.Manifest;
using NpEdit.DatasetBuilder.Vlm;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit dataset build|status|inspect</c>: the DatasetBuilder run inline, and its manifest.</summary>
internal static class DatasetCommands
{
    public static Command Build()
    {
        var dataset = new Command("dataset",
            "Build edit datasets with the paper's App. D VLM prompts over an OpenAI-compatible endpoint, into Parquet shards.");
        dataset.Subcommands.Add(BuildCommand());
        dataset.Subcommands.Add(Status());
        dataset.Subcommands.Add(Inspect());
        return dataset;
    }

    private static Command BuildCommand()
    {
        var config = new Option<FileInfo?>("--config") { Description = "YAML with overrides of the dataset config defaults (DatasetConfig)." };
        var sets = new Option<string[]>("--set") { Description = "Override one key, e.g. --set input.path=corpus/ --set vlm.max_in_flight_per_endpoint=32.", AllowMultipleArgumentsPerToken = true };
        var units = new Option<int>("--concurrent-units") { Description = "Units built at once in this process (the next starts once the previous one has read its last image).", DefaultValueFactory = _ => 2 };
        var command = new Command("build",
            "Build (or resume) a dataset: plan units, run the App. D pipelines, write shards, record the manifest. " +
            "A finished unit is never redone; every completed VLM reply is cached, so a rerun never pays twice.")
        {
            config, sets, units,
        };
        CliAction.Set(command, async (p, ct) =>
        {
            ResolvedConfig<DatasetConfig> resolved;
            try
            {
                resolved = ConfigLoader.Load<DatasetConfig>(p.GetValue(config)?.FullName, p.GetValue(sets));
            }
            catch (ConfigException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            using var build = new DatasetBuild(dataSource, new DatasetBuildOptions { ConcurrentUnits = p.GetValue(units) });
            var id = await build.PrepareAsync(resolved, ct);
            AnsiConsole.MarkupLine($"dataset [bold]{Markup.Escape(resolved.Value.Name)}[/] (id {id})");
            DatasetStatus? final = null;
            try
            {
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var bar = ctx.AddTask("images", maxValue: 1);
                        var running = build.BuildAsync(id, ct);
                        while (!running.IsCompleted)
                        {
                            Update(bar, build, id);
                            await Task.WhenAny(running, Task.Delay(250, CancellationToken.None));
                        }
                        Update(bar, build, id);
                        final = await running;
                    });
            }
            catch (VlmCallException e)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                AnsiConsole.MarkupLine("Finished units are kept and replies are cached: fix the endpoint and run the same command again to resume.");
                return 1;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                // An input file that broke while its unit was streaming it (the message names the file and what to do).
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
            Show(final!);
            return final!.Status == "finished" ? 0 : 1;
        });
        return command;
    }

    private static void Update(ProgressTask bar, DatasetBuild build, long id)
    {
        var progress = build.Progress;
        var stats = build.StatsFor(id);
        bar.MaxValue = Math.Max(1, progress.ImagesTotal);
        bar.Value = progress.ImagesDone;
        var failed = stats?.FailedAttempts.Values.Sum() ?? 0;
        bar.Description = $"units {progress.UnitsDone}/{progress.UnitsTotal} · rows {progress.Rows} · requests {stats?.Attempts ?? 0} " +
                          $"(cached {stats?.CacheHits ?? 0}, failed attempts {failed})";
    }

    private static Command Status()
    {
        var which = new Argument<string?>("dataset") { Description = "Dataset name or id; omit to list all datasets.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Progress, rows/s, tokens, failures by kind and the per-type balance of a dataset (or list all).") { which };
        CliAction.Set(command, async (p, ct) =>
        {
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var store = new DatasetStore(dataSource);
            var name = p.GetValue(which);
            if (name is null)
            {
                var table = new Table().AddColumns("id", "name", "status", "units", "created");
                foreach (var d in await store.ListAsync(ct))
                    table.AddRow(d.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(d.Name), d.Status, d.Units.ToString(CultureInfo.InvariantCulture),
                        d.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
                AnsiConsole.Write(table);
                return 0;
            }
            Show(await store.StatusAsync(await ResolveAsync(store, name, ct), ct));
            return 0;
        });
        return command;
    }

    private static Command Inspect()
    {
        var which = new Argument<string>("dataset") { Description = "Dataset name or id." };
        var rows = new Option<int>("--rows") { Description = "Rows to print from the first shard.", DefaultValueFactory = _ => 5 };
        var rejects = new Option<int>("--rejects") { Description = "Rejected replies to print (raw text included).", DefaultValueFactory = _ => 3 };
        var command = new Command("inspect", "Print sample rows from a dataset's shards and its latest rejected VLM replies.") { which, rows, rejects };
        CliAction.Set(command, async (p, ct) =>
        {
            await using var dataSource = await NpEditDatabase.OpenAsync(ct);
            var store = new DatasetStore(dataSource);
            var id = await ResolveAsync(store, p.GetValue(which)!, ct);
            var shard = (await store.GetUnitsAsync(id, ct)).FirstOrDefault(u => u.Status == "finished" && u.Rows > 0);
            if (shard?.ShardPath is null)
                AnsiConsole.MarkupLine("[yellow]no finished shard with rows yet[/]");
            else
            {
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(shard.ShardPath)}[/] ({shard.Rows} rows)");
                var table = new Table().AddColumns("type", "instruction", "edited caption", "object");
                var shown = 0;
                await foreach (var row in ShardReader.ReadAsync(shard.ShardPath, ct))
                {
                    if (shown++ == p.GetValue(rows))
                        break;
                    table.AddRow(row.EditType, Markup.Escape(row.Instruction), Markup.Escape(row.EditedCaption), Markup.Escape(row.ObjectName));
                }
                AnsiConsole.Write(table);
            }
            foreach (var reject in await store.RejectsAsync(id, p.GetValue(rejects), ct))
            {
                AnsiConsole.MarkupLine($"[yellow]rejected[/] {Markup.Escape(reject.Prompt)} for {Markup.Escape(reject.SourceId)}: {Markup.Escape(reject.Reason)}");
                AnsiConsole.WriteLine("  " + reject.RawReply.Replace("\n", "\n  ", StringComparison.Ordinal));
            }
            return 0;
        });
        return command;
    }

    private static async Task<long> ResolveAsync(DatasetStore store, string nameOrId, CancellationToken ct) =>
        long.TryParse(nameOrId, CultureInfo.InvariantCulture, out var id) ? id
        : await store.FindAsync(nameOrId, ct) ?? throw new ArgumentException($"No dataset named '{nameOrId}'; 'npedit dataset status' lists them.");

    private static void Show(DatasetStatus s)
    {
        var grid = new Grid().AddColumns(2);
        grid.AddRow("dataset", $"{Markup.Escape(s.Name)} (id {s.Id}), {s.Status}");
        grid.AddRow("shards", Markup.Escape(Path.Combine(s.OutputDir, "data")));
        grid.AddRow("progress", $"{s.UnitsFinished}/{s.UnitsTotal} units" + (s.UnitsFailed > 0 ? $", [red]{s.UnitsFailed} failed[/] (rerun to resume)" : ""));
        grid.AddRow("rows", $"{s.Rows} ({s.RowsPerSecond:F1} rows/s), {s.Bytes / 1e6:F1} MB");
        grid.AddRow("images", $"{s.ImagesIn} read, {s.ImagesSkipped} skipped" +
                              (s.SkipsByReason.Count > 0 ? $" ({string.Join(", ", s.SkipsByReason.Select(kv => $"{Markup.Escape(kv.Key)}: {kv.Value}"))})" : ""));
        grid.AddRow("requests", $"{s.Requests} ({s.RequestsSent} sent, {s.CacheHits} from cache), mean latency {s.MeanLatencyMs:F0} ms");
        grid.AddRow("tokens", $"{s.InputTokens} in, {s.OutputTokens} out");
        grid.AddRow("failed attempts", s.FailuresByKind.Count == 0 ? "none" : string.Join(", ", s.FailuresByKind.Select(kv => $"{kv.Key}: {kv.Value}")));
        grid.AddRow("verdicts", $"{s.InvalidInstructions} instructions judged invalid, {s.NotProminentImages} images without a prominent object");
        grid.AddRow("rejected replies", $"{s.Rejects} ('npedit dataset inspect {Markup.Escape(s.Name)}' shows them)");
        if (s.ExactDuplicates is { } exact)
            grid.AddRow("duplicates", $"{exact} exact (dropped), near-duplicate instruction rate {s.NearDuplicateRate:P1}");
        AnsiConsole.Write(grid);
        if (s.RowsByType.Count == 0)
            return;
        var chart = new BarChart().Label("rows per edit type").Width(60);
        foreach (var type in EditType.Local.Append(EditType.Customization))
            chart.AddItem(type, s.RowsByType.GetValueOrDefault(type));
        AnsiConsole.Write(chart);
    }
}
