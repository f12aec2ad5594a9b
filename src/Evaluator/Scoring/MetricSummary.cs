namespace NpEdit.Evaluator.Scoring;

/// <summary>
/// One metric over a benchmark (sub)set: per-group means and their unweighted mean over groups (the macro
/// average GEdit-Bench and ImgEdit report), with failures counted next to every mean.
/// </summary>
public sealed record MetricSummary(string Metric, string Subset, IReadOnlyList<GroupSummary> Groups, double MacroMean, ScoreInterval? MacroInterval)
{
    public int Items => Groups.Sum(g => g.Items);
    public int Failures => Groups.Sum(g => g.Failures);
}
