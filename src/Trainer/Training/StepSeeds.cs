using NpEdit.ShapesWorld;

namespace NpEdit.Trainer.Training;

/// <summary>
/// Counter-based randomness: every random draw of step s comes from a stream seeded by (run seed, s, purpose).
/// The RNG state a checkpoint must restore is therefore just the step, and a resumed run draws the same noise,
/// times and do-nothing flags as an uninterrupted one.
/// </summary>
public static class StepSeeds
{
    public const ulong Noise = 1, Unroll = 2, DoNothing = 3, Dmd = 4, Aux = 5, Warmup = 6, Sft = 7;

    /// <summary>The seed of stream <paramref name="purpose"/> at <paramref name="step"/>.</summary>
    public static ulong For(long runSeed, long step, ulong purpose) =>
        SplitMix64.Mix(SplitMix64.Mix((ulong)runSeed ^ (purpose * 0x9E3779B97F4A7C15UL)) + (ulong)step);

    /// <summary>A managed stream for scalar draws (edit times, do-nothing flags).</summary>
    public static SplitMix64 Scalars(long runSeed, long step, ulong purpose) => new(For(runSeed, step, purpose));
}
