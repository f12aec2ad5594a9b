namespace NpEdit.Core.Config.Training;

/// <summary>Step counts (App. E.1).</summary>
public sealed record ScheduleSection
{
    public int Steps { get; init; } = 10_000;

    /// <summary>Identity warmup steps: 250 for local editing, 100 for customization (§4.3).</summary>
    public int WarmupSteps { get; init; } = 250;

    /// <summary>Steps trained with t = 1 only before two-pass unrolling starts.</summary>
    public int SingleStepSteps { get; init; } = 4000;

    public UnrollPolicy Unroll { get; init; } = UnrollPolicy.PaperTwoPass;

    /// <summary>Inference steps of the few-step sampler (the t grid).</summary>
    public int SamplerSteps { get; init; } = 4;

    /// <summary>A_φ updates per generator update (DMD2).</summary>
    public int AuxUpdates { get; init; } = 10;
}
