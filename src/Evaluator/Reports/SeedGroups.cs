using System.Globalization;
using Microsoft.Data.Analysis;
using NpEdit.Evaluator.Scoring;
using NpEdit.Evaluator.Storage;

namespace NpEdit.Evaluator.Reports;

/// <summary>
/// Runs of one variant over several seeds. A grid labels its runs by their coordinates ("only_dmd data.fraction=0.5
/// seed=1"), so runs whose labels differ only in the <c>seed=N</c> token are the same variant; the paper's tables
/// report such a variant once, and so does the report: the mean over seeds with their spread.
/// </summary>
public static class SeedGroups
{
    /// <summary>The label without its <c>seed=N</c> token ("full seed=2" → "full"); labels without one are unchanged.</summary>
    public static string VariantOf(string label)
    {
        var tokens = label.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var kept = tokens.Where(t => !IsSeedToken(t)).ToArray();
        return kept.Length == tokens.Length ? label : string.Join(' ', kept);
    }

    /// <summary>True when some variant of <paramref name="runs"/> was run with more than one seed.</summary>
    public static bool HasRepeats(IEnumerable<EvalRunRow> runs) =>
        runs.GroupBy(r => VariantOf(r.Label)).Any(g => g.Count() > 1);

    /// <summary>
    /// One row per variant: the number of seeds and, per headline metric, the mean of the runs' macro means, their
    /// sample standard deviation and their range (full item set only; a seed without a value for a metric is left out
    /// of that metric).
    /// </summary>
    public static DataFrame Table(IReadOnlyList<EvalRunRow> runs, IReadOnlyList<SummaryRow> summaries)
    {
        var metricNames = runs.SelectMany(r => r.Metrics).Distinct().ToArray();
        var variant = new StringDataFrameColumn("variant");
        var seeds = new Int32DataFrameColumn("seeds");
        var means = metricNames.ToDictionary(m => m, m => new DoubleDataFrameColumn($"{m} mean"));
        var spreads = metricNames.ToDictionary(m => m, m => new DoubleDataFrameColumn($"{m} sd"));
        var ranges = metricNames.ToDictionary(m => m, m => new StringDataFrameColumn($"{m} range"));
        foreach (var group in runs.GroupBy(r => VariantOf(r.Label)))
        {
            variant.Append(group.Key);
            seeds.Append(group.Count());
            foreach (var m in metricNames)
            {
                var values = group.Select(r => MacroMean(summaries, r.RunId, m)).OfType<double>().ToArray();
                means[m].Append(values.Length > 0 ? values.Average() : null);
                spreads[m].Append(values.Length > 1 ? StandardDeviation(values) : null);
                ranges[m].Append(values.Length > 0 ? string.Create(CultureInfo.InvariantCulture, $"[{values.Min():F2}, {values.Max():F2}]") : null);
            }
        }
        var columns = new List<DataFrameColumn> { variant, seeds };
        foreach (var m in metricNames)
        {
            columns.Add(means[m]);
            columns.Add(spreads[m]);
            columns.Add(ranges[m]);
        }
        return new DataFrame(columns);
    }

    /// <summary>
    /// One bar series per variant for <paramref name="metric"/>'s groups: a single run keeps its own mean and bootstrap
    /// interval; several seeds give the mean over seeds with the seeds' range as the interval.
    /// </summary>
    public static BarSeries[] Bars(IReadOnlyList<EvalRunRow> runs, IReadOnlyList<SummaryRow> summaries, string metric) =>
        runs.GroupBy(r => VariantOf(r.Label)).Select(group =>
        {
            var ids = group.Select(r => r.RunId).ToHashSet();
            var rows = summaries.Where(s => ids.Contains(s.RunId) && s.Subset == ScoreAggregator.FullSet && s.Metric == metric && s.GroupName != "" && s.Mean is not null);
            if (ids.Count == 1)
                return new BarSeries(group.First().Label, rows.ToDictionary(s => s.GroupName, s => (s.Mean!.Value, s.CiLow, s.CiHigh)));
            var values = rows.GroupBy(s => s.GroupName)
                .ToDictionary(g => g.Key, g => (g.Average(s => s.Mean!.Value), (double?)g.Min(s => s.Mean!.Value), (double?)g.Max(s => s.Mean!.Value)));
            return new BarSeries($"{group.Key} ({ids.Count} seeds)", values);
        }).ToArray();

    private static double? MacroMean(IReadOnlyList<SummaryRow> summaries, Guid runId, string metric) =>
        summaries.FirstOrDefault(s => s.RunId == runId && s.Subset == ScoreAggregator.FullSet && s.GroupName == "" && s.Metric == metric)?.Mean;

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    private static bool IsSeedToken(string token) =>
        token.StartsWith("seed=", StringComparison.Ordinal) && token.Length > 5 && token[5..].All(char.IsAsciiDigit);
}
