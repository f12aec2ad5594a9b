namespace NpEdit.Core.Config;

/// <summary>
/// AdamW with a linear warm-up and a half-cosine decay: the optimisation settings every pretraining config shares
/// (G_init's text-to-image pretraining, the ShapesWorld critic, the oracle). Those configs inherit it rather than
/// nest it, so its keys stay at the top level of their YAML and stored configs (<c>learning_rate</c>,
/// <c>warmup_steps</c>, …) and old checkpoints still read; each states its own defaults through the constructor.
/// </summary>
public abstract record OptimizationSection
{
    /// <summary>The defaults of one pretraining config; what it leaves out is AdamW's own (β 0.9/0.999, no decay), no clipping and no decay of the learning rate.</summary>
    protected OptimizationSection(int steps, double learningRate, int warmupSteps, double finalLearningRateFraction = 1.0,
        double beta1 = 0.9, double beta2 = 0.999, double weightDecay = 0.0, double gradClip = 0.0)
    {
        Steps = steps;
        LearningRate = learningRate;
        WarmupSteps = warmupSteps;
        FinalLearningRateFraction = finalLearningRateFraction;
        Beta1 = beta1;
        Beta2 = beta2;
        WeightDecay = weightDecay;
        GradClip = gradClip;
    }

    /// <summary>Optimizer steps to run.</summary>
    public int Steps { get; init; }

    /// <summary>Peak AdamW learning rate, reached at the end of the warm-up.</summary>
    public double LearningRate { get; init; }

    /// <summary>Steps of the linear warm-up to the peak learning rate.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Where the half cosine after the warm-up ends at <see cref="Steps"/>, as a fraction of the peak (1 keeps it constant).</summary>
    public double FinalLearningRateFraction { get; init; }

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; }

    /// <summary>AdamW β2.</summary>
    public double Beta2 { get; init; }

    /// <summary>Decoupled weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient-norm clip; 0 turns clipping off.</summary>
    public double GradClip { get; init; }

    /// <summary>The max norm to clip gradients to: <see cref="GradClip"/>, or no limit when it is 0 (the norm is still measured).</summary>
    public double MaxGradNorm() => GradClip > 0 ? GradClip : float.MaxValue;

    /// <summary>What is wrong with these settings, each named by its YAML key; empty when they are consistent.</summary>
    public IEnumerable<string> OptimizationProblems()
    {
        if (Steps < 0 || WarmupSteps < 0)
            yield return $"steps ({Steps}) and warmup_steps ({WarmupSteps}) must not be negative";
        if (LearningRate <= 0)
            yield return $"learning_rate must be positive (got {LearningRate})";
        if (FinalLearningRateFraction is < 0 or > 1)
            yield return $"final_learning_rate_fraction must lie in [0, 1] (got {FinalLearningRateFraction})";
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1)
            yield return $"beta1 ({Beta1}) and beta2 ({Beta2}) must lie in [0, 1)";
        if (WeightDecay < 0 || GradClip < 0)
            yield return $"weight_decay ({WeightDecay}) and grad_clip ({GradClip}) must not be negative (grad_clip 0 turns clipping off)";
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every <see cref="OptimizationProblems"/>, if any.</summary>
    protected void ValidateOptimization()
    {
        var problems = OptimizationProblems().ToList();
        if (problems.Count > 0)
            throw new ArgumentException($"Invalid optimisation settings: {string.Join("; ", problems)}.");
    }
}
