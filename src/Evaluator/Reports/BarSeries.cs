namespace NpEdit.Evaluator.Reports;

/// <summary>One series of a grouped bar chart: a name (an eval run's label) and a value with its interval per category.</summary>
public sealed record BarSeries(string Name, IReadOnlyDictionary<string, (double Value, double? Low, double? High)> Values);
