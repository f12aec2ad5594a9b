namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// How training questions are drawn beyond the held-out mix (<see cref="ShapesCriticData"/>); the held-out set always
/// uses <see cref="HeldOut"/>, so accuracies stay comparable across settings.
/// </summary>
/// <param name="ContrastiveShare">
/// Share of presence and edit-verification questions that come as contrastive pairs: two consecutive questions of the
/// family about the very same image(s), one answered Yes and one No — presence names an object in the image and one
/// not in it; edit verification gives the instruction the candidate carries out and the instruction of another edit.
/// Why: in the held-out mix the images alone predict much of the answer (an unchanged candidate is No, a degraded one
/// Yes, a clean change mostly No), and the critic stops there without reading the name or instruction
/// (bench/RESULTS.md, critic section); within a pair only the words tell the answers apart.
/// </param>
/// <param name="HardNegativeShare">
/// Share of absent presence names that differ from an object in the image in one attribute only (its colour or its
/// shape), so a partial match of the name is not enough.
/// </param>
public sealed record ShapesCriticSampling(double ContrastiveShare = 0, double HardNegativeShare = 0)
{
    /// <summary>The held-out mix: no pairs, absent names drawn at random.</summary>
    public static readonly ShapesCriticSampling HeldOut = new();

    public ShapesCriticSampling Validate() => ContrastiveShare is < 0 or > 1 || HardNegativeShare is < 0 or > 1
        ? throw new ArgumentException($"contrastive_share ({ContrastiveShare}) and hard_negative_share ({HardNegativeShare}) must lie in [0, 1].")
        : this;
}
