namespace NpEdit.Core.Config.Training;

/// <summary>Cadence, device and resilience of a run.</summary>
public sealed record RunSection
{
    public string Device { get; init; } = "auto";
    public long Seed { get; init; }
    public int MetricsEvery { get; init; } = 10;
    public int CheckpointEvery { get; init; } = 500;
    public int SamplesEvery { get; init; } = 500;

    /// <summary>Non-finite losses or gradient norms in a row before the run aborts.</summary>
    public int MaxNonFiniteInARow { get; init; } = 5;

    /// <summary>ShapesWorld-Bench items (one per edit type, in turn) shown in each sample grid.</summary>
    public int SampleGridItems { get; init; } = 6;

    /// <summary>
    /// Recompute each generator pass in the backward instead of storing its activations (a custom autograd Function);
    /// off by default (the small presets fit), on for dit-2b-sized generators.
    /// </summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>fp32, or bf16 compute with fp32 master weights (see <see cref="Training.Precision"/>).</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Where run folders (checkpoints, samples) go.</summary>
    public string OutputRoot { get; init; } = "runs";
}
