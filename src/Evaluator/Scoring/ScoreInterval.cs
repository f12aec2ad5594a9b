namespace NpEdit.Evaluator.Scoring;

/// <summary>A two-sided confidence interval (percentile bootstrap).</summary>
public readonly record struct ScoreInterval(double Low, double High);
