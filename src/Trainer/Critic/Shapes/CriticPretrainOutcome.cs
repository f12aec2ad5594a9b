namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>What a critic pretraining run ended with.</summary>
public sealed record CriticPretrainOutcome(Guid RunId, long Step, double TrainSeconds, string Checkpoint, IReadOnlyDictionary<string, double> HeldOut)
{
    /// <summary>Held-out accuracy of one family (presence, edit, identity).</summary>
    public double Accuracy(string family) => HeldOut[$"heldout/accuracy/{family}"];
}
