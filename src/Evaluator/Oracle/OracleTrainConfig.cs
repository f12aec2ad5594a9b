using NpEdit.Core.Config;

namespace NpEdit.Evaluator.Oracle;

/// <summary>Settings for training the scene parser on ShapesWorld renders (all defaults live here).</summary>
public sealed record OracleTrainConfig : OptimizationSection
{
    /// <summary>
    /// Each of the <see cref="OptimizationSection.Steps"/> renders <see cref="BatchSize"/> fresh scenes, so no render is
    /// seen twice; the learning rate decays by a cosine to 1% at the end; AdamW's own betas, no gradient clipping.
    /// </summary>
    public OracleTrainConfig() : base(steps: 2000, learningRate: 2e-3, warmupSteps: 50, finalLearningRateFraction: 0.01, weightDecay: 1e-4)
    {
    }

    public OracleConfig Model { get; init; } = new();

    public int BatchSize { get; init; } = 16;

    /// <summary>Share of training images that get Gaussian pixel noise (σ up to <see cref="MaxNoise"/> in [−1, 1] units), so generated outputs parse too.</summary>
    public double NoiseFraction { get; init; } = 0.25;

    public double MaxNoise { get; init; } = 0.08;

    /// <summary>Share of <see cref="OptimizationSection.Steps"/> over which the easy-scenes curriculum fades (<see cref="SceneCurriculum"/>); 0 turns it off.</summary>
    public double SimplifyUntil { get; init; } = 0.6;

    /// <summary>The chance of simplifying each nuisance attribute once the curriculum has faded.</summary>
    public double SimplifyFloor { get; init; } = 0.1;

    /// <summary>Seed of weight initialisation, noise and curriculum draws, and of which stretch of the oracle's training scenes is used.</summary>
    public int Seed { get; init; } = 0;

    /// <summary>
    /// Train only the detail branch (<see cref="OracleConfig.Detail"/>) and keep the rest of a started network
    /// (<c>--init</c>) as it is, batch-norm statistics included: a cheap check of what the finer input adds.
    /// </summary>
    public bool DetailOnly { get; init; }

    public OracleTrainConfig Validate()
    {
        Model.Validate();
        if (DetailOnly && Model.Detail is null) throw new ArgumentException("Training only the detail branch needs a network with one (the model's Detail is null).");
        // Seed s trains on scene indices from s·2³², which must stay below the held-out range at 2⁴⁰.
        if (Seed is < 0 or > 255) throw new ArgumentException($"Oracle seeds lie in 0…255 (got {Seed}).");
        ValidateOptimization();
        if (BatchSize < 1) throw new ArgumentException($"Batch size must be at least 1 (got {BatchSize}).");
        if (NoiseFraction is < 0 or > 1 || MaxNoise < 0) throw new ArgumentException($"Noise fraction ({NoiseFraction}) must lie in [0, 1] and max noise ({MaxNoise}) must not be negative.");
        if (SimplifyUntil is < 0 or > 1 || SimplifyFloor is < 0 or > 1) throw new ArgumentException($"Simplify-until ({SimplifyUntil}) and simplify floor ({SimplifyFloor}) must lie in [0, 1].");
        return this;
    }
}
