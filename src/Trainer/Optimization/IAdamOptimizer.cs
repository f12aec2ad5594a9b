namespace NpEdit.Trainer.Optimization;

/// <summary>
/// Adam over a model's trainable parameters, optionally through fp32 master weights (bf16 compute: the module holds
/// bf16 copies, whose gradients are upcast into the masters that Adam updates and copies back). A step is
/// <see cref="ZeroGrad"/>, backward, <see cref="ClipGradNorm"/>, then <see cref="Step"/> (or <see cref="ZeroGrad"/> to skip it).
/// </summary>
public interface IAdamOptimizer : IDisposable
{
    /// <summary>The learning rate of the next <see cref="Step"/>.</summary>
    double LearningRate { get; set; }

    /// <summary>Optimizer steps taken (the t of the bias correction).</summary>
    long Steps { get; }

    /// <summary>Zeroes the gradients, so the next backward starts the accumulation afresh.</summary>
    void ZeroGrad();

    /// <summary>
    /// Takes the gradients of the last backward (into the masters under mixed precision), returns their global L2
    /// norm and, when <paramref name="maxNorm"/> &gt; 0, scales them by min(1, maxNorm / (norm + 1e-6)) as
    /// torch.nn.utils.clip_grad_norm_ does. Call once per step, before <see cref="Step"/>.
    /// </summary>
    double ClipGradNorm(double maxNorm);

    /// <summary>One Adam update of every parameter from the gradients <see cref="ClipGradNorm"/> took.</summary>
    void Step();

    /// <summary>Writes the moments, the step count and any fp32 masters to <paramref name="path"/>.</summary>
    void Save(string path);

    /// <summary>
    /// Restores what <see cref="Save"/> wrote (either implementation's file). Call after the module's weights were
    /// loaded: masters a file does not hold restart from the module's weights.
    /// </summary>
    void Load(string path);
}
