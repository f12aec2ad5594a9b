namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Held-out accuracy on contrastive pairs (<see cref="CriticQuestionPair"/>), per family: the share of the pairs'
/// questions answered right (an image-only critic: 50 %, less where its margin is exactly 0) and the share of pairs with both answers right (an
/// image-only critic: 0 %). Unlike the held-out mix — where the images alone reach 60 % on presence and 95 % on identity
/// preservation (bench/RESULTS.md, critic section) — these measure how much the critic reads the object name or the
/// instruction, which is what NP-Edit's VLM loss needs from it.
/// </summary>
public static class PairAccuracy
{
    /// <summary>Metric names: <c>heldout/pairs/{family}/accuracy</c> and <c>heldout/pairs/{family}/both_right</c>.</summary>
    public static string AccuracyKey(string family) => $"heldout/pairs/{family}/accuracy";

    public static string BothRightKey(string family) => $"heldout/pairs/{family}/both_right";

    /// <param name="pairs">The pairs asked.</param>
    /// <param name="yesMargins">ℓ_Yes − ℓ_No for each pair's Yes question, in order.</param>
    /// <param name="noMargins">ℓ_Yes − ℓ_No for each pair's No question, in order. As in the held-out mix, an answer is
    /// right when the margin's sign agrees with it (a margin of exactly 0 is wrong either way).</param>
    public static IReadOnlyDictionary<string, double> Compute(IReadOnlyList<CriticQuestionPair> pairs, IReadOnlyList<float> yesMargins, IReadOnlyList<float> noMargins)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (yesMargins.Count != pairs.Count || noMargins.Count != pairs.Count)
            throw new ArgumentException($"{pairs.Count} pairs need as many Yes and No margins; got {yesMargins.Count} and {noMargins.Count}.");
        var metrics = new Dictionary<string, double>();
        foreach (var family in pairs.Select((p, i) => (p.Family, Yes: yesMargins[i] > 0, No: noMargins[i] < 0)).GroupBy(p => p.Family))
        {
            metrics[AccuracyKey(family.Key)] = family.Average(p => ((p.Yes ? 1 : 0) + (p.No ? 1 : 0)) / 2.0);
            metrics[BothRightKey(family.Key)] = family.Average(p => p.Yes && p.No ? 1.0 : 0.0);
        }
        return metrics;
    }
}
