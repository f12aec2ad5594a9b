using System.Globalization;
using Microsoft.Data.Analysis;
using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Imaging;
using NpEdit.Evaluator.Scoring;
using NpEdit.Evaluator.Storage;
using NpEdit.ShapesWorld.Evaluation;

namespace NpEdit.Evaluator.Reports;

/// <summary>
/// <c>npedit report</c>: report.md and report.html with PNGs for the eval runs of an experiment or a grid —
/// the ablation table with 95% intervals and failure counts (Tables 3–4), per-edit-type grouped bars (Fig. 5),
/// training curves from the metrics table, a qualitative grid (input | output | ground truth), and the per-item
/// agreement of the in-process critic with the ShapesWorld oracle. Tables are DataFrames built from SQL rows.
/// </summary>
public sealed class ReportBuilder(NpgsqlDataSource dataSource)
{
    private readonly EvalStore _store = new(dataSource);
    private readonly MetricStore _metrics = new(dataSource);

    public async Task<ReportResult> BuildAsync(ReportRequest request, CancellationToken ct = default)
    {
        request.Validate();
        var runs = await _store.EvalRunsAsync(request.Experiment, request.Grid, ct);
        var scope = request.Experiment is not null ? $"experiment '{request.Experiment}'" : $"grid '{request.Grid}'";
        if (runs.Count == 0)
            throw new ArgumentException($"No eval runs for {scope}. Judge some outputs first ('npedit eval judge --experiment ...'), " +
                                        "or check the name with 'npedit db psql -- -c \"SELECT * FROM npedit.eval_leaderboard\"'.");
        Directory.CreateDirectory(request.OutputDirectory);
        var summaries = await _store.SummariesAsync(runs.Select(r => r.RunId).ToArray(), ct);
        var doc = new ReportDocument($"NpEdit evaluation report: {scope}");
        var images = new List<string>();
        var notes = new List<string>();
        doc.Paragraph($"{runs.Count} eval run(s); generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Means are macro averages over groups; " +
                      "intervals are 95% bootstrap intervals; failed judgments are excluded from every mean and counted in 'failures'.");

        foreach (var family in runs.GroupBy(r => (r.Benchmark, r.Judge)))
        {
            doc.Heading($"Ablation table: {family.Key.Benchmark}, judge {family.Key.Judge}");
            doc.Table(AblationTable(family.ToArray(), summaries));
            if (SeedGroups.HasRepeats(family))
            {
                doc.Heading($"Across seeds: {family.Key.Benchmark}, judge {family.Key.Judge}");
                doc.Paragraph("One row per variant (runs whose labels differ only in seed=N): the mean of the seeds' macro means, " +
                              "their standard deviation and their range.");
                doc.Table(SeedGroups.Table(family.ToArray(), summaries));
            }
        }

        foreach (var family in runs.GroupBy(r => (r.Benchmark, r.Judge)))
        {
            var headline = Headline(family.First());
            var file = $"bars-{Slug(family.Key.Benchmark)}-{Slug(family.Key.Judge)}.png";
            var groups = summaries.Where(s => family.Any(r => r.RunId == s.RunId) && s.Subset == ScoreAggregator.FullSet && s.Metric == headline && s.GroupName != "")
                .Select(s => s.GroupName).Distinct().Order(StringComparer.Ordinal).ToArray();
            if (groups.Length == 0)
            {
                notes.Add($"{family.Key.Benchmark} / {family.Key.Judge}: no scored items, so no per-type chart.");
                continue;
            }
            // Several seeds of a variant are one series (mean over seeds, their range as the interval), as in the paper's figures.
            var series = SeedGroups.Bars(family.ToArray(), summaries, headline);
            Charts.GroupedBars(Path.Combine(request.OutputDirectory, file), $"{family.Key.Benchmark}: {headline} per edit type ({family.Key.Judge})", headline, groups, series);
            doc.Heading($"Per edit type: {family.Key.Benchmark}, judge {family.Key.Judge}");
            doc.Image(file, $"{headline} per edit type");
            images.Add(file);
        }

        await TrainingCurvesAsync(request, doc, images, notes, ct);
        await QualitativeAsync(request, runs, doc, images, notes, ct);
        await AgreementAsync(request, runs, doc, images, notes, ct);

        if (notes.Count > 0)
        {
            doc.Heading("Not shown");
            foreach (var note in notes)
                doc.Paragraph(note);
        }
        var (markdown, html) = doc.Render();
        var mdPath = Path.Combine(request.OutputDirectory, "report.md");
        var htmlPath = Path.Combine(request.OutputDirectory, "report.html");
        await File.WriteAllTextAsync(mdPath, markdown, ct);
        await File.WriteAllTextAsync(htmlPath, html, ct);
        return new ReportResult(mdPath, htmlPath, images, notes);
    }

    /// <summary>The last headline metric is the one a benchmark ranks by: Overall for VIEScore, the score for ImgEdit.</summary>
    private static string Headline(EvalRunRow run) => run.Metrics.Length > 0 ? run.Metrics[^1] : "overall";

    /// <summary>One row per run and subset: every headline metric as "mean [low, high]", plus items and failures.</summary>
    internal static DataFrame AblationTable(IReadOnlyList<EvalRunRow> runs, IReadOnlyList<SummaryRow> summaries)
    {
        var metricNames = runs.SelectMany(r => r.Metrics).Distinct().ToArray();
        var label = new StringDataFrameColumn("variant");
        var benchmark = new StringDataFrameColumn("benchmark");
        var judge = new StringDataFrameColumn("judge");
        var steps = new Int32DataFrameColumn("steps");
        var subset = new StringDataFrameColumn("subset");
        var means = metricNames.ToDictionary(m => m, m => new DoubleDataFrameColumn(m));
        var intervals = metricNames.ToDictionary(m => m, m => new StringDataFrameColumn($"{m} 95% CI"));
        var items = new Int32DataFrameColumn("items");
        var failures = new Int32DataFrameColumn("failures");
        foreach (var run in runs)
            foreach (var sub in summaries.Where(s => s.RunId == run.RunId).Select(s => s.Subset).Distinct().Order())
            {
                var macro = summaries.Where(s => s.RunId == run.RunId && s.Subset == sub && s.GroupName == "").ToDictionary(s => s.Metric);
                label.Append(run.Label);
                benchmark.Append(run.Benchmark);
                judge.Append(run.JudgeModel is null ? run.Judge : $"{run.Judge} ({run.JudgeModel})");
                steps.Append(run.SamplerSteps);
                subset.Append(sub);
                foreach (var m in metricNames)
                {
                    var row = macro.GetValueOrDefault(m);
                    means[m].Append(row?.Mean);
                    intervals[m].Append(row?.CiLow is { } lo && row.CiHigh is { } hi
                        ? string.Create(CultureInfo.InvariantCulture, $"[{lo:F2}, {hi:F2}]")
                        : null);
                }
                var headline = macro.GetValueOrDefault(Headline(run));
                items.Append(headline?.Items);
                failures.Append(headline?.Failures ?? macro.Values.FirstOrDefault()?.Failures);
            }
        var columns = new List<DataFrameColumn> { label, benchmark, judge, steps, subset };
        foreach (var m in metricNames)
        {
            columns.Add(means[m]);
            columns.Add(intervals[m]);
        }
        columns.Add(items);
        columns.Add(failures);
        return new DataFrame(columns);
    }

    private async Task TrainingCurvesAsync(ReportRequest request, ReportDocument doc, List<string> images, List<string> notes, CancellationToken ct)
    {
        if (request.Experiment is null)
        {
            notes.Add("Training curves are drawn per experiment; a grid report has none.");
            return;
        }
        var training = (await _store.Runs.ListAsync(request.Experiment, ct)).Where(r => r.Kind != "eval").ToArray();
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var run in training)
            keys.UnionWith((await _metrics.LatestAsync(run.Id, ct)).Keys);
        if (keys.Count == 0)
        {
            notes.Add($"Experiment '{request.Experiment}' has no training metrics yet, so no training curves.");
            return;
        }
        doc.Heading("Training curves");
        foreach (var key in keys.OrderBy(k => k.Contains("loss", StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal).Take(6))
        {
            var lines = new List<(string, double[], double[])>();
            foreach (var run in training)
            {
                var history = await _metrics.HistoryAsync(run.Id, key, ct);
                if (history.Count > 0)
                    lines.Add((run.Name ?? run.Id.ToString()[..8], history.Select(p => (double)p.Step).ToArray(), history.Select(p => p.Value).ToArray()));
            }
            var file = $"training-{Slug(key)}.png";
            Charts.Curves(Path.Combine(request.OutputDirectory, file), key, lines);
            doc.Image(file, key);
            images.Add(file);
        }
    }

    private async Task QualitativeAsync(ReportRequest request, IReadOnlyList<EvalRunRow> runs, ReportDocument doc, List<string> images, List<string> notes, CancellationToken ct)
    {
        foreach (var run in runs.Where(r => r.OutputsDir != "" && r.BenchmarkRoot != "").GroupBy(r => r.Benchmark).Select(g => g.First()))
        {
            EvalBenchmark benchmark;
            try
            {
                benchmark = await BenchmarkLoader.LoadAsync(KindOf(run.Benchmark), run.BenchmarkRoot, ct);
            }
            catch (FileNotFoundException e)
            {
                notes.Add($"Qualitative grid for {run.Benchmark}: {e.Message}");
                continue;
            }
            var byKey = benchmark.Items.ToDictionary(i => i.Key);
            var headline = await _store.ItemMeansAsync(run.RunId, Headline(run), ct);
            var picked = (await _store.JudgedOutputsAsync(run.RunId, ct))
                .Where(o => byKey.ContainsKey(o.Key) && File.Exists(Path.Combine(run.OutputsDir, o.OutputPath)))
                .GroupBy(o => o.Group).Select(g => g.First()).Take(request.QualitativeRows).ToArray();
            if (picked.Length == 0)
            {
                notes.Add($"Qualitative grid for {run.Benchmark}: none of the judged outputs are on disk under {run.OutputsDir}.");
                continue;
            }
            var rows = picked.Select(o =>
            {
                var item = byKey[o.Key];
                var output = File.ReadAllBytes(Path.Combine(run.OutputsDir, o.OutputPath));
                byte[]? truth = null;
                if (item.ShapesItem is { } shapes)
                {
                    var size = ImageBytes.Size(output).Width; // ShapesWorld outputs are square
                    truth = ImageBytes.EncodePng(GroundTruth.TargetImageOf(shapes, size), size, size);
                }
                var score = headline.TryGetValue(o.Key, out var v) ? string.Create(CultureInfo.InvariantCulture, $" — {Headline(run)} {v:F1}") : " — not scored";
                return new QualitativeGrid.Row($"[{o.Group}] {item.Instruction}{score}", item.LoadSource(), output, truth);
            }).ToArray();
            var file = $"qualitative-{Slug(run.Benchmark)}.png";
            QualitativeGrid.Write(Path.Combine(request.OutputDirectory, file), rows);
            doc.Heading($"Qualitative: {run.Benchmark} ({run.Label})");
            doc.Image(file, "input | output | ground truth");
            images.Add(file);
        }
    }

    /// <summary>Critic (p(Yes)) against the ground-truth oracle on the same outputs; the VIEScore judge stands in while no oracle run exists.</summary>
    private async Task AgreementAsync(ReportRequest request, IReadOnlyList<EvalRunRow> runs, ReportDocument doc, List<string> images, List<string> notes, CancellationToken ct)
    {
        var critics = runs.Where(r => r.Judge == "critic").ToArray();
        if (critics.Length == 0)
        {
            notes.Add("No critic-judged run, so no critic-vs-oracle agreement.");
            return;
        }
        foreach (var critic in critics)
        {
            var reference = runs.Where(r => r.OutputsDir == critic.OutputsDir && r.RunId != critic.RunId)
                .OrderBy(r => r.Judge == "oracle" ? 0 : r.Judge == "vie" ? 1 : 2).FirstOrDefault(r => r.Judge is "oracle" or "vie");
            if (reference is null)
            {
                notes.Add($"Critic run '{critic.Label}': no oracle (or VIEScore) run on the same outputs ({critic.OutputsDir}).");
                continue;
            }
            // Against the oracle: the critic's edit-verification answer vs the ground truth's edit success (the signal
            // Eq. 4 trains on, checked where it can be); against VIEScore: the critic's mean vs semantic consistency.
            var (criticMetric, referenceMetric) = reference.Judge == "oracle" && critic.Metrics.Contains("p_edit") && reference.Metrics.Contains("edit_success")
                ? ("p_edit", "edit_success")
                : (Headline(critic), "sc");
            var a = await _store.ItemMeansAsync(critic.RunId, criticMetric, ct);
            var b = await _store.ItemMeansAsync(reference.RunId, referenceMetric, ct);
            var keys = a.Keys.Intersect(b.Keys).Order(StringComparer.Ordinal).ToArray();
            if (keys.Length < 2)
            {
                notes.Add($"Critic run '{critic.Label}' and {reference.Judge} share {keys.Length} scored item(s); too few to compare.");
                continue;
            }
            var x = keys.Select(k => a[k]).ToArray();
            var y = keys.Select(k => b[k]).ToArray();
            var yThreshold = y.Max() > 1 ? 5.0 : 0.5;
            var agree = keys.Where((_, i) => (x[i] >= 0.5) == (y[i] >= yThreshold)).Count() / (double)keys.Length;
            var file = $"agreement-{Slug(critic.Label)}-{reference.Judge}.png";
            Charts.Agreement(Path.Combine(request.OutputDirectory, file), $"critic vs {reference.Judge}: {keys.Length} items",
                $"critic {criticMetric} (p(correct))", $"{reference.Judge} {referenceMetric}", x, y);
            doc.Heading($"Critic vs {reference.Judge}: {critic.Label}");
            doc.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"{keys.Length} items; Pearson r = {Pearson(x, y):F3}; the critic's verdict ({criticMetric} ≥ 0.5) agrees with {reference.Judge} " +
                $"({referenceMetric} ≥ {yThreshold}) on {100 * agree:F1}% of items."));
            doc.Image(file, "critic vs oracle");
            images.Add(file);
        }
    }

    internal static double Pearson(double[] x, double[] y)
    {
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }

    private static BenchmarkKind KindOf(string benchmarkName) => benchmarkName switch
    {
        _ when benchmarkName.StartsWith("gedit", StringComparison.Ordinal) => BenchmarkKind.GEdit,
        _ when benchmarkName.StartsWith("imgedit", StringComparison.Ordinal) => BenchmarkKind.ImgEdit,
        _ when benchmarkName.StartsWith("dreambooth", StringComparison.Ordinal) => BenchmarkKind.DreamBooth,
        _ => BenchmarkKind.ShapesWorld,
    };

    private static string Slug(string text) =>
        new string(text.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
}
