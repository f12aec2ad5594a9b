namespace NpEdit.Evaluator.Judging;

/// <summary>
/// A judge's verdict on one item: named scores, or a failure (never a made-up score), plus the calls it took.
/// </summary>
public sealed record JudgeOutcome(IReadOnlyDictionary<string, double> Scores, string? Failure, IReadOnlyList<JudgeCall> Calls)
{
    public static JudgeOutcome Scored(IReadOnlyDictionary<string, double> scores, IReadOnlyList<JudgeCall> calls) => new(scores, null, calls);

    public static JudgeOutcome Failed(string failure, IReadOnlyList<JudgeCall> calls) => new(new Dictionary<string, double>(), failure, calls);
}
