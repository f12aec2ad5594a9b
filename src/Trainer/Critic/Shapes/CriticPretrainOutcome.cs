namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>What a critic pretraining run ended with.</summary>
public sealed record CriticPretrainOutcome(Guid RunId, long Step, double TrainSeconds, string Checkpoint, IReadOnlyDictionary<string, double> HeldOut)
{
    /// <summary>
    /// The checkpoint of the finished run with the same settings that this outcome reuses instead of training again
    /// (copied to <see cref="Checkpoint"/> when that is another file); null when the run trained.
    /// </summary>
    public string? ReusedFrom { get; init; }

    /// <summary>Held-out accuracy of one family (presence, edit, identity).</summary>
    public double Accuracy(string family) => HeldOut[$"heldout/accuracy/{family}"];

    /// <summary>
    /// Held-out accuracy of one family's contrastive pairs and the share of its pairs with both answers right
    /// (<see cref="PairAccuracy"/>), or null when the run asked none (identity preservation, <c>held_out_pairs_per_family: 0</c>).
    /// </summary>
    public (double Accuracy, double BothRight)? Pairs(string family) =>
        HeldOut.TryGetValue(PairAccuracy.AccuracyKey(family), out var accuracy) ? (accuracy, HeldOut[PairAccuracy.BothRightKey(family)]) : null;
}
