namespace NpEdit.Evaluator.Scoring;

/// <summary>
/// Turns item judgments into reported means. An item's value is the mean of its successful judgments;
/// failed judgments never contribute a number (the reference script's random fallback score has no
/// counterpart here) but are counted per group. Groups are averaged with equal weight (macro average,
/// as GEdit-Bench's calculate_statistics.py). Intervals come from a stratified two-level bootstrap:
/// items are resampled within each group and, for repeated judgments, each item's judgments are resampled too,
/// so the interval covers both which items were drawn and how much the judge varies.
/// </summary>
public static class ScoreAggregator
{
    public const string FullSet = "full";
    public const string Intersection = "intersection";

    /// <param name="bootstrapRounds">0 skips the intervals.</param>
    public static MetricSummary Summarise(IReadOnlyList<ItemScore> scores, string metric, string subset = FullSet,
        int bootstrapRounds = 0, int seed = 0)
    {
        var chosen = subset switch
        {
            FullSet => scores,
            Intersection => scores.Where(s => s.InIntersection).ToArray(),
            _ => throw new ArgumentException($"Unknown subset '{subset}'; use '{FullSet}' or '{Intersection}'.", nameof(subset)),
        };
        var groups = chosen.GroupBy(s => s.Group).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Group: g.Key, Items: ItemSamples(g, metric), Failures: g.Count(s => s.Failed || !s.Scores.ContainsKey(metric))))
            .ToArray();

        var random = new Random(seed);
        var groupDraws = bootstrapRounds > 0 ? groups.Select(g => Bootstrap(g.Items, bootstrapRounds, random)).ToArray() : null;
        var summaries = groups.Select((g, i) => new GroupSummary(
            g.Group,
            g.Items.Count == 0 ? double.NaN : g.Items.Average(v => v.Average()),
            g.Items.Count,
            g.Failures,
            g.Items.Count == 0 ? 0 : g.Items.Average(Variance),
            groupDraws is null || g.Items.Count == 0 ? null : Percentiles(groupDraws[i]))).ToArray();

        var scored = summaries.Where(s => s.Items > 0).ToArray();
        var macro = scored.Length == 0 ? double.NaN : scored.Average(s => s.Mean);
        ScoreInterval? macroInterval = null;
        if (groupDraws is not null && scored.Length > 0)
        {
            var withItems = groups.Select((g, i) => (g, i)).Where(x => x.g.Items.Count > 0).Select(x => groupDraws[x.i]).ToArray();
            var macroDraws = Enumerable.Range(0, bootstrapRounds).Select(r => withItems.Average(d => d[r])).ToArray();
            macroInterval = Percentiles(macroDraws);
        }
        return new MetricSummary(metric, subset, summaries, macro, macroInterval);
    }

    /// <summary>Per item, the successful values of <paramref name="metric"/> over its repeated judgments.</summary>
    private static List<double[]> ItemSamples(IEnumerable<ItemScore> group, string metric) =>
        group.Where(s => !s.Failed && s.Scores.ContainsKey(metric))
            .GroupBy(s => s.Key)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => s.Sample).Select(s => s.Scores[metric]).ToArray())
            .ToList();

    private static double Variance(double[] values)
    {
        if (values.Length < 2)
            return 0;
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    private static double[] Bootstrap(List<double[]> items, int rounds, Random random)
    {
        var draws = new double[rounds];
        if (items.Count == 0)
            return draws;
        for (var r = 0; r < rounds; r++)
        {
            double sum = 0;
            for (var i = 0; i < items.Count; i++)
            {
                var samples = items[random.Next(items.Count)];
                double itemSum = 0;
                for (var j = 0; j < samples.Length; j++)
                    itemSum += samples[random.Next(samples.Length)];
                sum += itemSum / samples.Length;
            }
            draws[r] = sum / items.Count;
        }
        return draws;
    }

    private static ScoreInterval Percentiles(double[] draws)
    {
        var sorted = draws.Order().ToArray();
        return new ScoreInterval(Quantile(sorted, 0.025), Quantile(sorted, 0.975));
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
