namespace NpEdit.Evaluator.Scoring;

/// <summary>
/// VIEScore's per-item aggregation (Ku et al., 2024; GEdit-Bench): SC = min of the semantic-consistency
/// sub-scores, PQ = min of the perceptual-quality sub-scores, Overall = sqrt(SC·PQ), all on the 0–10 scale.
/// The minimum makes one failed criterion sink the item; the geometric mean needs both SC and PQ to be high.
/// </summary>
public static class VieScore
{
    public const string Sc = "sc";
    public const string Pq = "pq";
    public const string Overall = "overall";

    public static IReadOnlyList<string> Metrics { get; } = [Sc, Pq, Overall];

    public static (double Sc, double Pq, double Overall) Combine(IReadOnlyList<double> scScores, IReadOnlyList<double> pqScores)
    {
        if (scScores.Count == 0 || pqScores.Count == 0)
            throw new ArgumentException("VIEScore needs at least one SC and one PQ sub-score.");
        var sc = scScores.Min();
        var pq = pqScores.Min();
        return (sc, pq, Math.Sqrt(sc * pq));
    }
}
