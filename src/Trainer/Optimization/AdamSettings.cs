namespace NpEdit.Trainer.Optimization;

/// <summary>
/// The hyper-parameters of Adam (Kingma and Ba) as PyTorch defines them: with <see cref="DecoupledWeightDecay"/>
/// it is AdamW (θ ← θ·(1 − lr·λ) before the update), otherwise λ·θ is added to the gradient (L2).
/// </summary>
public sealed record AdamSettings(double LearningRate, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8,
    double WeightDecay = 0.0, bool DecoupledWeightDecay = false)
{
    /// <summary>AdamW with these values.</summary>
    public static AdamSettings AdamW(double learningRate, double beta1, double beta2, double weightDecay) =>
        new(learningRate, beta1, beta2, WeightDecay: weightDecay, DecoupledWeightDecay: true);
}
