using NpEdit.Evaluator.Scoring;

namespace NpEdit.Evaluator.Pipeline;

/// <summary>What one eval run produced: its id, the judgments made now and before, and the summaries per subset and metric.</summary>
public sealed record EvalReport(Guid RunId, int JudgedNow, int JudgedBefore, IReadOnlyList<MetricSummary> Summaries);
