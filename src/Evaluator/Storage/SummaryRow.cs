namespace NpEdit.Evaluator.Storage;

/// <summary>A row of <c>npedit.eval_summaries</c>; <see cref="GroupName"/> '' is the macro average.</summary>
public sealed record SummaryRow(
    Guid RunId, string Subset, string Metric, string GroupName, double? Mean, double? CiLow, double? CiHigh, int Items, int Failures, double ItemVariance);
