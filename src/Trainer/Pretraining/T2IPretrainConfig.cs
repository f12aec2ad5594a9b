using NpEdit.Trainer.Models;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Settings of flow-matching text-to-image pretraining of G_init. Every default lives here; the CLI
/// and experiment files override only what differs.
/// </summary>
public sealed record T2IPretrainConfig
{
    /// <summary>The generator size (DiT + text encoder).</summary>
    public ModelPreset Model { get; init; } = ModelPresets.ShapesS;

    /// <summary>Optimizer steps to run.</summary>
    public int Steps { get; init; } = 3000;

    /// <summary>Peak AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>Linear warm-up steps to the peak learning rate, constant after.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>
    /// Where the learning rate ends as a fraction of the peak: after the warm-up it follows a half cosine
    /// from the peak down to this fraction at <see cref="Steps"/> (1 keeps it constant). Short runs gain from
    /// annealing: the last steps average out the gradient noise of batch 16.
    /// </summary>
    public double FinalLearningRateFraction { get; init; } = 1.0;

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (0.99 as the NP-Edit warm-up config).</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.0;

    /// <summary>Gradient-norm clip; a non-finite norm skips the step.</summary>
    public double GradClip { get; init; } = 1.0;

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

    /// <summary>Seed of the noise, time and caption-dropout draws (weights use torch's global generator).</summary>
    public int Seed { get; init; } = 0;

    /// <summary>Rejects inconsistent settings with a message naming the values.</summary>
    public T2IPretrainConfig Validate()
    {
        Model.Validate();
        if (Steps < 0 || WarmupSteps < 0)
            throw new ArgumentException($"Steps ({Steps}) and WarmupSteps ({WarmupSteps}) must not be negative.");
        if (LearningRate <= 0 || GradClip <= 0 || LogitNormalStd <= 0)
            throw new ArgumentException($"LearningRate ({LearningRate}), GradClip ({GradClip}) and LogitNormalStd ({LogitNormalStd}) must be positive.");
        if (FinalLearningRateFraction is < 0 or > 1)
            throw new ArgumentException($"FinalLearningRateFraction {FinalLearningRateFraction} must lie in [0, 1].");
        if (EmaDecay is < 0 or >= 1)
            throw new ArgumentException($"EmaDecay {EmaDecay} must lie in [0, 1).");
        if (CaptionDropout is < 0 or > 1)
            throw new ArgumentException($"CaptionDropout {CaptionDropout} must lie in [0, 1].");
        return this;
    }
}
