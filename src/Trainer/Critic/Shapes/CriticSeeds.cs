using NpEdit.ShapesWorld;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Scene seeds for critic pretraining, disjoint from the editor's corpus and from ShapesWorld-Bench.
/// Corpus seeds have the top bit clear (<see cref="SeedRanges"/>), so critic seeds have it set; bench seeds
/// also have it set, but are Mix((version &lt;&lt; 40) + index) | top bit, and Mix is a bijection, so a seed is
/// a bench seed of some version &lt; <see cref="ReservedBenchVersions"/> exactly when one of its two
/// pre-images has a small version field. Those seeds are skipped.
/// </summary>
public static class CriticSeeds
{
    /// <summary>Bench versions whose every seed critic pretraining avoids.</summary>
    public const ulong ReservedBenchVersions = 1024;

    /// <summary>The scene seed of critic example <paramref name="index"/> of stream <paramref name="seed"/>.</summary>
    public static ulong SceneSeed(ulong seed, long index)
    {
        for (ulong attempt = 0; ; attempt++)
        {
            var candidate = SplitMix64.Mix(SplitMix64.Mix(seed ^ 0xC817_1C5E_ED00_0000UL) + (ulong)index + (attempt << 48)) | SeedRanges.BenchBit;
            if (!CouldBeBench(candidate))
                return candidate;
        }
    }

    /// <summary>True when <paramref name="sceneSeed"/> equals BenchSceneSeed(v, i) for some v &lt; <see cref="ReservedBenchVersions"/>.</summary>
    public static bool CouldBeBench(ulong sceneSeed) =>
        (Unmix(sceneSeed) >> 40) < ReservedBenchVersions || (Unmix(sceneSeed & ~SeedRanges.BenchBit) >> 40) < ReservedBenchVersions;

    /// <summary>The inverse of <see cref="SplitMix64.Mix"/>: undo each xor-shift and multiply in reverse order.</summary>
    public static ulong Unmix(ulong z)
    {
        z = UnXorShift(z, 31);
        z *= Inverse(0x94D049BB133111EBUL);
        z = UnXorShift(z, 27);
        z *= Inverse(0xBF58476D1CE4E5B9UL);
        return UnXorShift(z, 30);
    }

    static ulong UnXorShift(ulong y, int shift)
    {
        var x = y;
        for (var i = shift; i < 64; i += shift)
            x = y ^ (x >> shift);
        return x;
    }

    /// <summary>The multiplicative inverse of an odd number mod 2⁶⁴ (Newton: each step doubles the correct bits).</summary>
    static ulong Inverse(ulong a)
    {
        var x = a;
        for (var i = 0; i < 6; i++)
            x *= 2 - a * x;
        return x;
    }
}
