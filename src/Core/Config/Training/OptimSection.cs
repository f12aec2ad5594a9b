namespace NpEdit.Core.Config.Training;

/// <summary>Adam for G_θ and A_φ (App. E.1).</summary>
public sealed record OptimSection
{
    public double Lr { get; init; } = 2e-6;
    public double AuxLr { get; init; } = 2e-6;

    /// <summary>
    /// G_θ's learning rate during the identity warm-up (Algorithm 1's N_warmup steps); 0 uses <see cref="Lr"/>, as the
    /// paper does. The warm-up only teaches G_θ to copy its new reference input, so a small model may take it faster
    /// than the editing steps, whose DMD and VLM gradients a large rate would turn into noise.
    /// </summary>
    public double WarmupLr { get; init; }
    public double Beta1 { get; init; } = 0.0;
    public double Beta2 { get; init; } = 0.9;

    /// <summary>Gradient-norm clip; 0 turns clipping off (the paper does not clip; the reimplementation uses 2).</summary>
    public double GradClip { get; init; } = 0.0;

    /// <summary>Adam over one flat buffer per model (the default) or TorchSharp's per-tensor Adam; same update, the flat one is faster.</summary>
    public AdamImplementation Implementation { get; init; } = AdamImplementation.Flat;
}
