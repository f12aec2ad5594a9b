namespace NpEdit.Evaluator.Scoring;

/// <summary>
/// One judgment of one item: its scores by metric, or the failure that kept it from being scored.
/// <paramref name="Sample"/> numbers repeated judgments of the same item (0..n−1).
/// </summary>
public sealed record ItemScore(string Key, string Group, int Sample, IReadOnlyDictionary<string, double> Scores, string? Failure = null)
{
    public bool InIntersection { get; init; }
    public bool Failed => Failure is not null;
}
