namespace NpEdit.Evaluator.Scoring;

/// <summary>The mean of one metric over one group's items, with the items used and the judgments that failed.</summary>
/// <param name="Items">Items with at least one successful judgment (the ones averaged).</param>
/// <param name="Failures">Failed judgments (unparseable after retries, endpoint errors): excluded, counted here.</param>
/// <param name="ItemVariance">Mean over items of the variance between repeated judgments (0 with one sample per item).</param>
public sealed record GroupSummary(string Group, double Mean, int Items, int Failures, double ItemVariance, ScoreInterval? Interval);
