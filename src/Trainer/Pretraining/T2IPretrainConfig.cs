using NpEdit.Core.Config;
using NpEdit.Trainer.Models;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Settings of flow-matching text-to-image pretraining of G_init. Every default lives here; the CLI
/// and experiment files override only what differs.
/// </summary>
public sealed record T2IPretrainConfig : OptimizationSection
{
    /// <summary>
    /// The learning rate stays at its peak after the warm-up (short runs gain from annealing it, which e001 turns on:
    /// the last steps average out the gradient noise of batch 16); β2 0.99 as the NP-Edit warm-up config; gradient
    /// norms clipped to 1 (a non-finite norm skips the step).
    /// </summary>
    public T2IPretrainConfig() : base(steps: 3000, learningRate: 5e-4, warmupSteps: 100, beta2: 0.99, gradClip: 1.0)
    {
    }

    /// <summary>These defaults with <paramref name="optimization"/>'s optimisation settings.</summary>
    public T2IPretrainConfig(OptimizationSection optimization) : base(optimization)
    {
    }

    /// <summary>The generator size (DiT + text encoder).</summary>
    public ModelPreset Model { get; init; } = ModelPresets.ShapesS;

    /// <summary>Probability of replacing a caption by the empty prompt, so the model also learns the unconditional velocity for CFG.</summary>
    public double CaptionDropout { get; init; } = 0.1;

    /// <summary>Mean of the logit-normal time density.</summary>
    public double LogitNormalMean { get; init; } = 0.0;

    /// <summary>Standard deviation of the logit-normal time density.</summary>
    public double LogitNormalStd { get; init; } = 1.0;

    /// <summary>
    /// Decay of the exponential moving average of the weights used for sampling and for the saved G_init
    /// (DiT uses 0.9999 over 400K steps; short CPU runs need a shorter horizon); 0 turns EMA off.
    /// </summary>
    public double EmaDecay { get; init; } = 0.995;

    /// <summary>AdamW over one flat buffer (the default) or TorchSharp's per-tensor AdamW; the same update, the flat one is faster.</summary>
    public AdamImplementation Optimizer { get; init; } = AdamImplementation.Flat;

    /// <summary>Seed of the noise, time and caption-dropout draws (weights use torch's global generator).</summary>
    public int Seed { get; init; } = 0;

    /// <summary>
    /// Draw the flow-matching noise ε on the training device from its own generator (seeded with <see cref="Seed"/>)
    /// instead of on the CPU (<see cref="Runtime.SeededNoise"/>). At GPU batch sizes the CPU draw of (B, 3, S, S)
    /// normals and its copy cost more than the step of a small model (512 × 3 × 32² took 5–6 ms per step on one
    /// core); the price is that ε is no longer part of the checkpointed random state, so a resumed run draws other
    /// noise than an uninterrupted one. Time, dropout and batch draws stay on the CPU generator.
    /// </summary>
    public bool NoiseOnDevice { get; init; }

    /// <summary>Rejects inconsistent settings with a message naming the values.</summary>
    public T2IPretrainConfig Validate()
    {
        Model.Validate();
        ValidateOptimization();
        if (LogitNormalStd <= 0)
            throw new ArgumentException($"LogitNormalStd ({LogitNormalStd}) must be positive.");
        if (EmaDecay is < 0 or >= 1)
            throw new ArgumentException($"EmaDecay {EmaDecay} must lie in [0, 1).");
        if (CaptionDropout is < 0 or > 1)
            throw new ArgumentException($"CaptionDropout {CaptionDropout} must lie in [0, 1].");
        return this;
    }
}
