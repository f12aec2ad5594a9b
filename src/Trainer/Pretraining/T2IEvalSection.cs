namespace NpEdit.Trainer.Pretraining;

/// <summary>How G_init is looked at during and after pretraining: sample grids and the caption-agreement proxy.</summary>
public sealed record T2IEvalSection
{
    /// <summary>Held-out scenes whose captions are sampled for the agreement proxy (from the same filtered distribution as the data).</summary>
    public int Prompts { get; init; } = 64;

    /// <summary>Scenes shown in each sample grid (the first of the evaluation prompts).</summary>
    public int GridPrompts { get; init; } = 16;

    /// <summary>Euler steps of the sampler.</summary>
    public int SampleSteps { get; init; } = 20;

    /// <summary>Classifier-free guidance scale against the empty prompt.</summary>
    public double GuidanceScale { get; init; } = 4.0;

    /// <summary>Steps between sample grids and agreement measurements (0: only at the end).</summary>
    public int Every { get; init; } = 1000;
}
