using System.Globalization;
using System.Text;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Reports;
using NpEdit.Evaluator.Storage;

namespace NpEdit.Jobs.Grids;

/// <summary>
/// Writes a grid's reports into <c>.npedit/reports/&lt;grid&gt;/</c>. <c>runs.md</c>: one row per run with its
/// coordinates, status, last step and the newest value of the total loss and the ShapesWorld-Bench scores (overall
/// and per edit type), plus the failures; rewritten from the database each time, so writing it twice gives the same
/// file. Once any run has been evaluated, the Evaluator's <see cref="ReportBuilder"/> (what <c>npedit report</c>
/// runs) writes <c>report.md</c> and <c>report.html</c> with the ablation table, per-type bars, training curves and
/// the qualitative grid as PNGs, and that becomes the grid's report.
/// </summary>
/// <param name="reportsRoot">Where each grid's folder goes; default <c>.npedit/reports</c>.</param>
public sealed class GridReporter(NpgsqlDataSource dataSource, string? reportsRoot = null)
{
    private const string BenchPrefix = "bench/";

    /// <summary>The runs table, written for every grid (the only report until a run has been evaluated).</summary>
    public const string RunsFile = "runs.md";

    public async Task<string> WriteAsync(long gridId, CancellationToken ct = default)
    {
        var store = new GridStore(dataSource);
        var grid = await store.GetAsync(gridId, ct) ?? throw new InvalidOperationException($"Grid {gridId} does not exist.");
        var runs = await store.RunsAsync(gridId, ct);
        var metrics = new MetricStore(dataSource);
        var latest = new Dictionary<Guid, IReadOnlyDictionary<string, (long Step, double Value)>>();
        foreach (var run in runs)
            latest[run.RunId] = await metrics.LatestAsync(run.RunId, ct);
        // Headline columns: the total loss and the overall ShapesWorld-Bench scores; per-type scores get their own table.
        var keys = latest.Values.SelectMany(m => m.Keys).Distinct()
            .Where(k => k == "loss/total" || (k.StartsWith(BenchPrefix, StringComparison.Ordinal) && k.Count(c => c == '/') == 1))
            .Order(StringComparer.Ordinal).ToList();
        var types = latest.Values.SelectMany(m => m.Keys)
            .Where(k => k.StartsWith(BenchPrefix, StringComparison.Ordinal) && k.EndsWith("/edit_success", StringComparison.Ordinal) && k.Count(c => c == '/') == 2)
            .Select(k => k.Split('/')[1]).Distinct().Order(StringComparer.Ordinal).ToList();

        var md = new StringBuilder();
        md.AppendLine($"# Grid `{grid.Name}`").AppendLine();
        md.AppendLine($"Source: `{grid.SourcePath}`. Runs: {runs.Count} ({runs.Count(r => r.Status == "finished")} finished, " +
                      $"{runs.Count(r => r.Status == "failed")} failed).").AppendLine();
        md.Append("| run | status | step |");
        foreach (var key in keys) md.Append($" {key} |");
        md.AppendLine();
        md.Append("|---|---|---|");
        foreach (var _ in keys) md.Append("---|");
        md.AppendLine();
        foreach (var run in runs)
        {
            md.Append($"| {run.Name} | {run.Status} | {run.Step?.ToString(CultureInfo.InvariantCulture) ?? "–"} |");
            foreach (var key in keys)
                md.Append(latest[run.RunId].TryGetValue(key, out var m) ? $" {m.Value.ToString("G4", CultureInfo.InvariantCulture)} |" : " – |");
            md.AppendLine();
        }
        if (types.Count > 0)
        {
            md.AppendLine().AppendLine("## Edit success per edit type (ShapesWorld-Bench, oracle)").AppendLine();
            md.AppendLine($"| run | {string.Join(" | ", types)} |");
            md.AppendLine($"|---|{string.Concat(types.Select(_ => "---|"))}");
            foreach (var run in runs)
                md.AppendLine($"| {run.Name} | " + string.Join(" | ", types.Select(t =>
                    latest[run.RunId].TryGetValue($"{BenchPrefix}{t}/edit_success", out var m) ? m.Value.ToString("F3", CultureInfo.InvariantCulture) : "–")) + " |");
        }
        var failed = runs.Where(r => r.Status == "failed").ToList();
        if (failed.Count > 0)
        {
            md.AppendLine().AppendLine("## Failures").AppendLine();
            foreach (var run in failed)
                md.AppendLine($"- {run.Name}: {run.Error}");
        }

        var folder = Path.Combine(reportsRoot ?? Path.Combine(ProjectPaths.StateDirectory(), "reports"), grid.Name);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, RunsFile);
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, md.ToString(), ct);
        File.Move(temp, path, overwrite: true);
        // Grid runs log into the experiment named after the grid, and so do their eval runs (EvaluateStage).
        if ((await new EvalStore(dataSource).EvalRunsAsync(grid.Name, null, ct)).Count > 0)
            path = (await new ReportBuilder(dataSource).BuildAsync(new ReportRequest(grid.Name, null, folder), ct)).MarkdownPath;
        await store.SetReportAsync(gridId, path, ct);
        return path;
    }
}
